using Jevm.Cli;

namespace Jevm.Tests.Robustness;

/// <summary>
/// Tests that swap <see cref="Console.Out"/>/<see cref="Console.Error"/> run in this collection, which xunit runs alone
/// (after the parallel ones), so no other test's output lands in a captured stream.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console (not parallel)";
}

/// <summary>What one in-process `jevm` run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The non-empty lines written to stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class Cli
{
    private static readonly Lock s_lock = new();

    /// <summary>Runs `jevm ARGS` in this process, capturing stdout and stderr.</summary>
    public static CliResult Run(params string[] args) => Capture(() => CommandLine.Run(args));

    /// <summary>Runs <paramref name="action"/> with stdout and stderr captured.</summary>
    public static CliResult Capture(Func<int> action)
    {
        lock (s_lock)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var o = new StringWriter();
            var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                int code = action();
                return new CliResult(code, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    /// <summary>
    /// Asserts a usage-style failure: exit code <paramref name="exitCode"/> and exactly one line on stderr, prefixed
    /// "jevm COMMAND: " (or "jevm: "), containing every fragment (case-insensitive), and no stack trace.
    /// </summary>
    public static void AssertOneLine(CliResult r, int exitCode, params string[] fragments)
    {
        Assert.DoesNotContain("   at ", r.Error + r.Out);
        Assert.DoesNotContain("Unhandled exception", r.Error + r.Out);
        var lines = r.ErrorLines;
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{r.Error}");
        Assert.StartsWith("jevm", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(exitCode, r.ExitCode);
    }
}
