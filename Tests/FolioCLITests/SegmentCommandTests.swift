import Foundation
import Testing

@Suite(.serialized) struct SegmentCommandTests {
    static let book = FolioProcess.data.appendingPathComponent("book/clients.csv").path

    static func readCSV(_ url: URL) throws -> [[String]] {
        // The outputs quote fields with commas; a minimal reader for them.
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows = [[String]](), row = [String](), field = "", quoted = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" { quoted = false } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
        }
        return rows
    }

    @Test func bundledBookEndToEnd() throws {
        let out = FolioProcess.temporaryDirectory()
        let result = try FolioProcess.run(["segment", "--clients", Self.book, "--groups", "3-5", "--output", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3000 clients in"))
        #expect(result.stdout.contains("clients to review"))
        let rows = try Self.readCSV(out.appendingPathComponent("clients.csv"))
        #expect(rows.first == ["client_id", "segment", "distance", "membership", "pc1", "pc2", "review"])
        let body = rows.dropFirst()
        #expect(body.count == 3000)
        #expect(Set(body.map { $0[0] }).count == 3000)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("segments.json"))) as? [String: Any])
        let profiles = try #require(json["profiles"] as? [[String: Any]])
        let groupCount = try #require(json["groupCount"] as? Int)
        #expect(profiles.count == groupCount)
        // Sizes recomputed from clients.csv; far-from-centre reviews recomputed from distances and fences.
        for profile in profiles {
            let segment = profile["segment"] as! Int
            let members = body.filter { Int($0[1]) == segment }
            #expect(members.count == profile["size"] as! Int)
            let fence = profile["farThreshold"] as! Double
            for m in members {
                #expect((Double(m[2])! > fence) == m[6].contains("far from its segment"), "\(m[0])")
            }
        }
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Segment profiles") && html.contains("lang=\"en\""))
        // A re-run gives the same files; another seed still gives a valid segmentation.
        let again = FolioProcess.temporaryDirectory()
        #expect(try FolioProcess.run(["segment", "--clients", Self.book, "--groups", "3-5", "--output", again.path]).status == 0)
        for name in ["clients.csv", "segments.json", "report.html"] {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(contentsOf: again.appendingPathComponent(name)), "\(name)")
        }
        let mixture = try FolioProcess.run(["segment", "--clients", Self.book, "--method", "gmm", "--groups", "4", "--seed", "7", "--format", "csv"])
        #expect(mixture.status == 0, "\(mixture.stderr)")
        #expect(mixture.stdout.split(separator: "\n").count == 3001)
    }

    @Test func hostileIDsAreNeutralizedEverywhere() throws {
        let dir = FolioProcess.temporaryDirectory()
        let ids = ["=HYPERLINK(\"http://x\")", "<img src=x onerror=alert(1)>", "a/b", String(repeating: "é", count: 150),
                   "Cafe\u{301}", "+1", "@sum"]
        var text = "client_id,age,equity_share,model\n"
        for i in 0..<60 {
            let id = i < ids.count ? "\"" + ids[i].replacingOccurrences(of: "\"", with: "\"\"") + "\"" : "C\(i)"
            text += "\(id),\(30 + (i % 3) * 20),\(0.2 + Double(i % 3) * 0.3),<b>m\(i % 3)</b>\n"
        }
        let file = dir.appendingPathComponent("clients.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try FolioProcess.run(["segment", "--clients", file.path, "--groups", "3", "--output", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("clients.csv"), encoding: .utf8)
        #expect(!csv.contains("\n=HYPERLINK") && !csv.contains("\n@sum") && csv.contains("\n\"'=HYPERLINK"))
        #expect(csv.contains("Café"))  // NFC
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<img") && !html.contains("<b>m"))
    }

    @Test func badFilesNameTheProblemAndWhere() throws {
        let dir = FolioProcess.temporaryDirectory()
        func run(_ text: String, _ extra: [String] = []) throws -> FolioProcess.Result {
            let file = dir.appendingPathComponent("c-\(UUID().uuidString).csv")
            try text.write(to: file, atomically: true, encoding: .utf8)
            return try FolioProcess.run(["segment", "--clients", file.path] + extra)
        }
        let nan = try run("client_id,age,income\nA,30,1000\nB,40,NaN\nC,50,3000\n", ["--groups", "2"])
        #expect(nan.status == 1 && nan.stderr.contains(":3:3") && nan.stderr.contains("income"))
        let protected = try run("client_id,age,gender\nA,30,1\nB,40,0\nC,50,1\n", ["--features", "age,gender", "--groups", "2"])
        #expect(protected.status == 1 && protected.stderr.contains("protected"))
        // A protected column not asked for is left out, not an error.
        let ignored = try run("client_id,age,gender\nA,30,1\nB,40,0\nC,50,1\nD,60,1\n", ["--groups", "2", "--format", "json"])
        #expect(ignored.status == 0 && !ignored.stdout.contains("\"gender\""))
        let constant = try run("client_id,age,score\nA,30,5\nB,40,5\nC,50,5\n", ["--groups", "2"])
        #expect(constant.status == 1 && constant.stderr.contains("feature 2"))
        let few = try run("client_id,age\nA,30\nB,40\n", ["--groups", "5"])
        #expect(few.status == 1 && few.stderr.contains("2 clients cannot be divided into 5"))
        let duplicate = try run("client_id,age\nA,30\nB,40\nA,50\n", ["--groups", "2"])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("A is on line 2"))
        let unknown = try run("client_id,age\nA,30\nB,40\n", ["--features", "wealth"])
        #expect(unknown.status == 1 && unknown.stderr.contains("wealth"))
        var many = "client_id,age,income\n"
        for i in 0..<150 { many += "C\(i),\(i),x\(i)\n" }
        let hundred = try run(many, ["--groups", "2", "--verbose"])
        #expect(hundred.status == 1 && hundred.stderr.contains(":101:3") && !hundred.stderr.contains(":140:3"))
        let usage = try FolioProcess.run(["segment", "--clients", Self.book, "--groups", "8-2"])
        #expect(usage.status == 2 && usage.stderr.contains("--groups"))
    }
}
