/// The checkpoint a run starts from: the spec's `checkpoint` dict (`category`, `path`) plus the Python
/// SDK's `id` and `name`.
public struct Checkpoint: Sendable, Hashable, Codable {
    /// What kind of checkpoint it is (`"base"`, `"fine-tuned"`, ...).
    public var category: String
    /// Where the checkpoint lives (a file, a folder or a URL; the runtime never opens it).
    public var path: String
    /// The backend's id for the checkpoint, when it has one.
    public var id: String?
    /// A human-readable name.
    public var name: String?

    /// A checkpoint at `path` of kind `category`.
    public init(category: String, path: String, id: String? = nil, name: String? = nil) {
        self.category = category
        self.path = path
        self.id = id
        self.name = name
    }

    /// The checkpoint as the JSON object the Python SDK passes around.
    public var json: JSONValue {
        var o: JSONObject = ["category": .string(category), "path": .string(path)]
        if let id { o["id"] = .string(id) }
        if let name { o["name"] = .string(name) }
        return .object(o)
    }
}

extension Checkpoint {
    /// Why a checkpoint description could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the text.
        public var message: String
        /// A readable form, as shown to the user.
        public var description: String { message }
    }

    /// Reads `category:path` (`base:/models/resnet.pt`) or a JSON object
    /// (`{"category": "base", "path": "...", "id": 7, "name": "resnet"}`).
    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("{") {
            let value: JSONValue
            do { value = try JSONParser.parse(trimmed) } catch {
                throw ParseError(message: "checkpoint JSON is invalid: \(error)")
            }
            try self.init(json: value)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ParseError(message: "checkpoint must be 'category:path' or a JSON object, got '\(text)'")
        }
        let category = String(trimmed[..<colon]), path = String(trimmed[trimmed.index(after: colon)...])
        guard !category.isEmpty, !path.isEmpty else {
            throw ParseError(message: "checkpoint must be 'category:path' with both parts non-empty, got '\(text)'")
        }
        self.init(category: category, path: path)
    }

    /// Reads the Python SDK's checkpoint dict; `id` may be a number or a string.
    public init(json: JSONValue) throws(ParseError) {
        guard let o = json.objectValue else { throw ParseError(message: "checkpoint must be a JSON object") }
        guard let category = o["category"]?.stringValue else {
            throw ParseError(message: "checkpoint needs a string \"category\"")
        }
        guard let path = o["path"]?.stringValue else { throw ParseError(message: "checkpoint needs a string \"path\"") }
        var id: String?
        switch o["id"] {
        case .string(let s)?: id = s
        case .int(let i)?: id = String(i)
        case nil, .null?: id = nil
        case let other?: throw ParseError(message: "checkpoint \"id\" must be a string or an integer, got \(other)")
        }
        self.init(category: category, path: path, id: id, name: o["name"]?.stringValue)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
