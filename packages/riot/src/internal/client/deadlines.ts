import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Runtime from "effect/Runtime"

/**
 * One timeout, the same for every effect it guards, shared by many
 * concurrent effects.
 *
 * @internal
 */
export interface Deadlines {
  /**
   * Runs `effect` and fails with `onTimeout()` if it has not ended within the
   * duration; the effect is interrupted then, as by `Effect.timeoutFail`.
   */
  readonly within: <A, E, E2>(effect: Effect.Effect<A, E>, onTimeout: () => E2) => Effect.Effect<A, E | E2>
}

interface Pending {
  readonly deadline: number
  /** Dropped once settled: the fiber holds its exit, the whole response, until the queue lets go of it. */
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined
  expired: boolean
}

/**
 * Why not `Effect.timeoutFail` per request: it forks the request and a
 * sleeping fiber, races them, then interrupts and awaits the loser. At
 * hundreds of requests a second that was the largest single cost of the
 * client after parsing. Here a request forks once, and one watcher fiber
 * sleeps until the oldest unsettled deadline. The duration is the same for
 * every request, so deadlines arrive in order and a queue holds them.
 *
 * The watcher runs only while some request is pending: the last request to
 * settle interrupts it, so no sleeping fiber keeps the process alive after
 * the work is done. It sleeps on the Effect `Clock` of the request that
 * started it, so the `TestClock` drives it in tests.
 *
 * @internal
 */
export const make = (duration: Duration.Duration): Deadlines => {
  const durationMillis = Duration.toMillis(duration)
  // Pending requests by deadline; `head` is the first not yet dropped.
  const queue: Array<Pending> = []
  let head = 0
  let unsettled = 0
  let watcher: Fiber.RuntimeFiber<void> | undefined

  const dropSettledAndExpireDue = (now: number) => {
    while (head < queue.length) {
      const pending = queue[head]
      if (pending.fiber !== undefined && pending.deadline > now) break
      head++
      if (pending.fiber !== undefined) {
        pending.expired = true
        pending.fiber.unsafeInterruptAsFork(FiberId.none)
      }
    }
    if (head === queue.length) {
      queue.length = 0
      head = 0
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head)
      head = 0
    }
  }

  const watch: Effect.Effect<void> = Effect.withFiberRuntime((self) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      dropSettledAndExpireDue(now)
      if (head === queue.length) {
        if (watcher === self) watcher = undefined
        return Effect.void
      }
      return Effect.zipRight(Effect.sleep(Duration.millis(queue[head].deadline - now)), watch)
    })
  )

  const startWatcher = Effect.suspend(() =>
    watcher !== undefined ? Effect.void : Effect.map(Effect.runtime<never>(), (runtime) => {
      watcher ??= Runtime.runFork(runtime)(watch)
    })
  )

  const settle = (pending: Pending) => {
    if (pending.fiber === undefined) return
    pending.fiber = undefined
    unsettled--
    if (unsettled === 0 && watcher !== undefined) {
      watcher.unsafeInterruptAsFork(FiberId.none)
      watcher = undefined
    }
  }

  return {
    within: <A, E, E2>(effect: Effect.Effect<A, E>, onTimeout: () => E2): Effect.Effect<A, E | E2> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.flatMap(Effect.fork(restore(effect)), (fiber) => {
            const pending: Pending = { deadline: now + durationMillis, fiber, expired: false }
            queue.push(pending)
            unsettled++
            const awaited = Effect.onInterrupt(
              restore(Effect.zipRight(startWatcher, Fiber.await(fiber))),
              () => Effect.ensuring(Fiber.interrupt(fiber), Effect.sync(() => settle(pending)))
            )
            return Effect.flatMap(awaited, (exit): Effect.Effect<A, E | E2> => {
              settle(pending)
              return pending.expired && Exit.isInterrupted(exit) ? Effect.fail(onTimeout()) : exit
            })
          }))
      )
  }
}
