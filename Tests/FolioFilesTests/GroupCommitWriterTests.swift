import Foundation
import Testing
import FolioFiles

/// Files written through a group commit appear only complete, a group at a time, and every
/// queued file is at its destination after `commit()`.
@Suite struct GroupCommitWriterTests {
    static func folder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("folio-group-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func names(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func filesAppearAGroupAtATime() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plans = folder.appendingPathComponent("plans")  // created on the first write
        let writer = GroupCommitWriter(groupSize: 3, maximumDelay: .seconds(3600))
        try writer.write(Data("one".utf8), to: plans.appendingPathComponent("1.json"))
        try writer.write(Data("two".utf8), to: plans.appendingPathComponent("2.json"))
        // Queued, not yet visible: only hidden temporary files.
        #expect(Self.names(in: plans).allSatisfy { $0.hasPrefix(".") && $0.hasSuffix(".tmp") })
        #expect(Self.names(in: plans).count == 2)
        try writer.write(Data("three".utf8), to: plans.appendingPathComponent("3.json"))
        #expect(Self.names(in: plans) == ["1.json", "2.json", "3.json"])
        try writer.write(Data("four".utf8), to: plans.appendingPathComponent("4.json"))
        #expect(!Self.names(in: plans).contains("4.json"))
        try writer.commit()
        #expect(Self.names(in: plans) == ["1.json", "2.json", "3.json", "4.json"])
        #expect(try String(contentsOf: plans.appendingPathComponent("3.json"), encoding: .utf8) == "three")
        try writer.commit()  // nothing queued: nothing happens
    }

    @Test func concurrentWritersAllLandAndReplaceOldFiles() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("old".utf8).write(to: folder.appendingPathComponent("17.txt"))
        let writer = GroupCommitWriter(groupSize: 7)
        let failures = LockedCount()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in stride(from: worker, to: 200, by: 4) {
                do { try writer.write(Data(String(repeating: "\(k),", count: 500).utf8), to: folder.appendingPathComponent("\(k).txt")) } catch {
                    failures.add()
                }
            }
        }
        try writer.commit()
        #expect(failures.value == 0)
        let names = Self.names(in: folder)
        #expect(names.count == 200 && names.allSatisfy { $0.hasSuffix(".txt") && !$0.hasPrefix(".") })
        for k in [0, 17, 199] {
            #expect(try String(contentsOf: folder.appendingPathComponent("\(k).txt"), encoding: .utf8) == String(repeating: "\(k),", count: 500))
        }
    }

    @Test func aFolderThatCannotBeMadeIsAnErrorNamingTheFile() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("plans")
        try Data().write(to: blocker)  // a file where the folder should be
        let writer = GroupCommitWriter()
        do {
            try writer.write(Data("x".utf8), to: blocker.appendingPathComponent("a.json"))
            Issue.record("expected an error")
        } catch {
            #expect(error.path.hasSuffix("plans/a.json"), "\(error)")
        }
    }
}

/// A counter shared by test threads.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add() { lock.lock(); count += 1; lock.unlock() }
}
