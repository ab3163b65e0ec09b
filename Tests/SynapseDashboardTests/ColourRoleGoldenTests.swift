import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// Goldens of what each cell means (its colour role), not only its text: a change that draws every level in
/// one colour, or loses the focus colour, fails here even when the text is the same.
@Suite struct ColourRoleGoldenTests {
    /// One letter per role (`Role.allCases` order), a space for a blank normal cell.
    static func roleMap(_ canvas: Canvas) -> String {
        let letters = Array("nmtbfakiwsdvBTHcLS")
        var lines: [String] = []
        for y in 0..<canvas.height {
            var line = ""
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                let i = Int(cell.style.role.rawValue)
                line.append(cell.character == " " && cell.style.role == .normal ? " " : letters[i])
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    func levelsState() -> DashboardState {
        var s = DashboardState()
        for (i, level) in LogLevel.allCases.enumerated() {
            s.apply(Event(timestamp: Double(i), level: level, payload: .message(Message(content: "a \(level.rawValue) message"))))
        }
        return s
    }

    @Test func everyLevelHasItsOwnRoleAndTag() throws {
        let canvas = DashboardRenderer.render(levelsState(), ui: UIState(), size: Size(width: 80, height: 24))
        let rows = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
        var roles: [LogLevel: Role] = [:]
        for level in LogLevel.allCases {
            let y = try #require(rows.firstIndex { $0.contains("a \(level.rawValue) message") })
            roles[level] = canvas[2, y].style.role
            #expect(rows[y].contains(level.tag.trimmingCharacters(in: .whitespaces)))
        }
        #expect(roles == [.debug: .dev, .info: .info, .success: .success, .warning: .warning,
                          .danger: .danger, .error: .danger, .critical: .danger])
        #expect(Set(roles.values).count == 5)
        if let problem = Golden.check("roles-levels-80x24", Self.roleMap(canvas)) { Issue.record("\(problem)") }
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 200, height: 50)])
    func trainingScreenRoles(size: Size) {
        let canvas = DashboardRenderer.render(Fixture.training.state, ui: UIState(), size: size)
        if let problem = Golden.check("roles-training-completed-\(size)", Self.roleMap(canvas)) { Issue.record("\(problem)") }
    }
}
