import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct EventQueueTests {
    static func message(_ text: String) -> Event {
        Event(timestamp: 1, level: .info, payload: .message(Message(content: text)))
    }

    static func isReadable(_ fd: Int32, timeoutMilliseconds: Int32 = 0) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, timeoutMilliseconds) > 0
    }

    @Test func drainReturnsPushedEventsInOrderAndEmptiesTheQueue() throws {
        let queue = try EventQueue()
        for i in 0..<5 { queue.push(Self.message("m\(i)")) }
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(events.map(\.payload) == (0..<5).map { .message(Message(content: "m\($0)")) })
        #expect(queue.count == 0)
    }

    @Test func wakesOnlyWhenGoingNonEmptyAndAgainAfterADrain() throws {
        let queue = try EventQueue()
        #expect(!Self.isReadable(queue.wakeFD))
        queue.push(Self.message("a"))
        #expect(Self.isReadable(queue.wakeFD))
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(!Self.isReadable(queue.wakeFD), "draining clears the pending wake-up")
        queue.push(Self.message("b"))
        #expect(Self.isReadable(queue.wakeFD), "the first push after a drain wakes the consumer again")
    }

    @Test func noticesKeepTheirPlaceAmongEvents() throws {
        let queue = try EventQueue()
        queue.push(Self.message("old"))
        queue.post(.restarted(reason: "truncated"))
        queue.push(Self.message("new"))
        queue.post(.finished)
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(events.count == 2)
        #expect(notices == [QueuedNotice(position: 1, notice: .restarted(reason: "truncated")),
                            QueuedNotice(position: 2, notice: .finished)])
        #expect(queue.isFinished)
    }

    @Test func concurrentProducersLoseNothing() async throws {
        let queue = try EventQueue()
        let producers = 4
        let perProducer = 20_000
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<producers {
                group.addTask {
                    for i in 0..<perProducer { queue.push(Event(timestamp: Double(p * perProducer + i), payload: .end)) }
                }
            }
            // The consumer drains while producers push, as the UI does.
            group.addTask {
                var total = 0
                var events: [Event] = []
                var notices: [QueuedNotice] = []
                while total < producers * perProducer {
                    _ = Self.isReadable(queue.wakeFD, timeoutMilliseconds: 100)
                    queue.drain(events: &events, notices: &notices)
                    total += events.count
                    events.removeAll(keepingCapacity: true)
                }
                #expect(total == producers * perProducer)
            }
        }
    }

    @Test func queueLoggerPushesRecordedEvents() throws {
        let queue = try EventQueue()
        let logger = QueueLogger(queue: queue)
        logger.record(Self.message("hi"))
        #expect(queue.count == 1)
    }
}

@Suite struct EventQueueBackpressureTests {
    @Test func waitForRoomTimesOutWhileFullAndReturnsOnceDrained() throws {
        let queue = try EventQueue()
        for _ in 0..<10 { queue.push(Event(timestamp: 1, payload: .end)) }
        #expect(queue.waitForRoom(below: 20, timeout: 0))
        #expect(!queue.waitForRoom(below: 5, timeout: 0.05), "full: times out")
        // A thread of its own, as the UI is: a task could starve behind tests that block the pool.
        let consumer = Thread {
            var events: [Event] = []
            var notices: [QueuedNotice] = []
            queue.drain(events: &events, notices: &notices)
        }
        consumer.start()
        var room = false
        for _ in 0..<100 where !room { room = queue.waitForRoom(below: 5, timeout: 0.1) }
        #expect(room, "a drain makes room and wakes the waiting producer")
    }
}
