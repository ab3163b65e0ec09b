import Logging
import Testing
@testable import SynapsePlugins

@Suite struct SynapseLogHandlerTests {
    @Test func libraryLogsBecomeMessagesAndDevEventsOfTheCurrentRun() {
        let memory = MemoryLogger()
        let ctx = RuntimeContext(logger: memory)
        let logger = Logger(label: "my.lib") { SynapseLogHandler(label: $0) }
        RuntimeContext.$current.withValue(ctx) {
            logger.info("Loaded images", metadata: ["count": "1200"])
            logger.notice("notice")
            logger.warning("slow disk")
            logger.error("bad shard")
            logger.critical("on fire")
            logger.debug("cache", metadata: ["hits": "95"])
            logger.trace("tick")
        }
        logger.info("outside any run")  // dropped: no current run, no fallback
        let messages = RT.messages(memory.events)
        #expect(messages.map(\.0) == [.info, .info, .warning, .error, .critical])
        #expect(messages[0].1 == "Loaded images count=1200")
        let dev = memory.events.compactMap { e -> DevEvent? in if case .devEvent(let d) = e.payload { return d } else { return nil } }
        #expect(dev.map(\.message) == ["cache", "tick"])
        #expect(dev[0].data == ["label": "my.lib", "level": "debug", "metadata": ["hits": "95"]])
        #expect(memory.events.count == 7)
    }

    @Test func actionsUsingSwiftLogShowUpInTheirRun() async {
        struct Chatty: PluginAction {
            static let actionName = "chatty"
            init(params: NoParams, context: RuntimeContext) {}
            func execute() async throws -> JSONValue {
                let logger = Logger(label: "lib") { SynapseLogHandler(label: $0) }
                // Also from a child task: task-locals are inherited.
                await Task { logger.warning("from a child task") }.value
                return .null
            }
        }
        let memory = MemoryLogger()
        _ = await ActionRunner(registry: ActionRegistry([Chatty.self])).run(RunRequest(action: "chatty"), logger: memory)
        #expect(RT.messages(memory.events).contains { $0.0 == .warning && $0.1 == "from a child task" })
    }
}
