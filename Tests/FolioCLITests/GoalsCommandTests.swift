import Foundation
import Testing

/// `folio goals` end to end: the sample household's JSON, hostile goal names, bad goals named
/// by file and line, and the return-model flags.
@Suite struct GoalsCommandTests {
    static let couple = FolioProcess.data.appendingPathComponent("households/couple/profile.yaml").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try FolioProcess.run(["goals"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    @Test func sampleHouseholdShowsAllThreeOutcomes() throws {
        var statuses: [String] = []
        for household in ["couple", "retiree", "young-accumulator"] {
            let profile = FolioProcess.data.appendingPathComponent("households/\(household)/profile.yaml").path
            let json = try Self.json(["--profile", profile, "--as-of", "2025-12-31", "--paths", "2000"])
            let goals = try #require(json["goals"] as? [[String: Any]])
            #expect((json["warnings"] as? [String])?.isEmpty == true, "\(household) earmarks more than its assets")
            let earmarked = try #require(json["earmarked"] as? Double), assets = try #require(json["assets"] as? Double)
            #expect(earmarked <= assets)
            for g in goals {
                let p = try #require(g["probabilityOfSuccess"] as? Double), asked = try #require(g["requiredProbability"] as? Double)
                let status = try #require(g["status"] as? String)
                statuses.append(status)
                #expect((status == "short") == (p < asked))
                let p10 = try #require(g["p10"] as? Double), p50 = try #require(g["p50"] as? Double), p90 = try #require(g["p90"] as? Double)
                #expect(p10 <= p50 && p50 <= p90)
                let target = try #require(g["targetAmountNominal"] as? Double)
                if status == "over-funded" { #expect(abs((g["surplusAt90"] as? Double ?? 0) - (p10 - target)) < 1e-6) }
                let allocation = try #require(g["allocation"] as? [[String: Any]])
                #expect(allocation.count == ((g["months"] as! Int) + 11) / 12)
                if status == "short" {
                    let take = try #require(g["whatWouldItTake"] as? [String: Any])
                    #expect((take["sentence"] as? String)?.contains("you asked for") == true)
                    #expect(take["extraYearlySaving"] is Double && take["smallerTarget"] is Double)
                }
            }
        }
        #expect(statuses.filter { $0 == "short" }.count == 1)
        #expect(statuses.contains("over-funded") && statuses.filter { $0 == "on-track" }.count >= 5)
    }

    @Test func tableShowsRoundedDollarsTheTargetAndSentences() throws {
        let result = try FolioProcess.run(["goals", "--profile", Self.couple, "--as-of", "2025-12-31", "--paths", "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Target") && out.contains("Together") && !out.contains("Needs") && !out.contains("—"))
        #expect(out.range(of: #"\$\d[\d,]*\.\d\d\b"#, options: .regularExpression) == nil, "cents printed:\n\(out)")
        #expect(out.contains("reaches the 60% you asked for"))
    }

    /// A household written to a temporary folder with the given goals text.
    static func household(goals: String) throws -> (folder: URL, profile: String) {
        let folder = FolioProcess.temporaryDirectory()
        try "client:\n  name: Test\n  birth_year: 1980\nhorizon_years: 20\nanswers: answers.yaml\ngoals: goals.yaml\nquestionnaire: \(FolioProcess.data.path)/questionnaire.yaml\n"
            .write(to: folder.appendingPathComponent("profile.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: FolioProcess.data.appendingPathComponent("households/couple/answers.yaml"),
                                         to: folder.appendingPathComponent("answers.yaml"))
        try goals.write(to: folder.appendingPathComponent("goals.yaml"), atomically: true, encoding: .utf8)
        return (folder, folder.appendingPathComponent("profile.yaml").path)
    }

    @Test func hostileGoalNamesSurviveJSONAndTable() throws {
        let names = ["<script>alert(1)</script> & \"co\"", "=HYPERLINK(\"http://x\")", "Caf\u{E9}",
                     String(repeating: "\u{1F3E0}", count: 75), "a/b\\c", "\u{1B}[2Jclear"]
        var goals = "goals:\n"
        for n in names {
            let quoted = n.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\u{1B}", with: "\\e")
            goals += "  - {name: \"\(quoted)\", target_amount: 50000, target_date: \"2032-01-01\", priority: want, set_aside: 30000}\n"
        }
        let (folder, profile) = try Self.household(goals: goals)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try Self.json(["--profile", profile, "--as-of", "2025-12-31", "--paths", "500"])
        let got = try #require(json["goals"] as? [[String: Any]]).map { $0["name"] as? String }
        #expect(got == names)
        let table = try FolioProcess.run(["goals", "--profile", profile, "--as-of", "2025-12-31", "--paths", "500"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(!table.stdout.contains("\u{1B}"), "escape sequence reached the terminal")
        #expect(table.stdout.contains("<script>alert(1)</script>"))
        // The same name in NFC and NFD is one name: used twice is an error at its line.
        let twice = "goals:\n  - {name: \"Caf\u{E9}\", target_amount: 5000, target_date: \"2032-01-01\", priority: want}\n"
            + "  - {name: \"Cafe\u{301}\", target_amount: 5000, target_date: \"2032-01-01\", priority: want}\n"
        let (other, duplicate) = try Self.household(goals: twice)
        defer { try? FileManager.default.removeItem(at: other) }
        let r = try FolioProcess.run(["goals", "--profile", duplicate, "--as-of", "2025-12-31", "--paths", "200"])
        #expect(r.status != 0 && r.stderr.contains("goals.yaml:3") && r.stderr.contains("a goal name used once"))
    }

    @Test func badGoalsAreNamedWithFileAndLine() throws {
        let cases: [(String, [String])] = [
            ("goals:\n  - name: Boat\n    target_amount: -5\n    target_date: \"2030-01-01\"\n    priority: wish\n",
             ["goals.yaml:3", "Boat", "target amount > 0"]),
            ("goals:\n  - name: Boat\n    target_amount: 5000\n    target_date: \"2030-01-01\"\n    priority: wish\n    required_probability: 80\n",
             ["goals.yaml:6", "Boat", "(0, 1]"]),
            ("goals:\n  - name: Boat\n    target_amount: 5000\n    target_date: \"2030-01-01\"\n    priority: wish\n    required_probability: 0\n",
             ["goals.yaml:6", "Boat", "(0, 1]"]),
            ("goals:\n  - name: Car\n    target_amount: 5000\n    target_date: \"2030-01-01\"\n    priority: wish\n  - name: Boat\n    target_amount: 5000\n    target_date: \"2019-01-01\"\n    priority: wish\n",
             ["goals.yaml:6", "Boat", "after the analysis date"]),
        ]
        for (text, needles) in cases {
            let (folder, profile) = try Self.household(goals: text)
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try FolioProcess.run(["goals", "--profile", profile, "--as-of", "2025-12-31", "--paths", "200"])
            #expect(result.status != 0)
            for n in needles { #expect(result.stderr.contains(n), "missing \(n) in \(result.stderr)") }
        }
    }

    @Test func returnModelFlags() throws {
        let base = ["--profile", Self.couple, "--as-of", "2025-12-31", "--paths", "500"]
        let t = try Self.json(base + ["--return-model", "student-t", "--degrees-of-freedom", "4"])
        #expect((t["returnModel"] as? String)?.hasPrefix("student-t") == true)
        let b = try Self.json(base + ["--return-model", "bootstrap", "--history", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                      "--block-months", "6"])
        #expect((b["returnModel"] as? String)?.hasPrefix("bootstrap (6-month blocks") == true)
        let held = try Self.json(base + ["--no-glide-path"])
        #expect(held["glidePath"] as? Bool == false)
        for bad in [["--return-model", "bootstrap"], ["--return-model", "student-t", "--degrees-of-freedom", "2"], ["--return-model", "cauchy"]] {
            let r = try FolioProcess.run(["goals"] + base + bad)
            #expect(r.status != 0 && !r.stderr.isEmpty)
        }
    }
}
