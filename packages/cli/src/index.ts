/**
 * @since 0.1.0
 */

/**
 * The `volley` command line: commands, exit codes and the runner.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"
