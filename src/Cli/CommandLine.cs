using System.Reflection;

namespace Jevm.Cli;

/// <summary>A `jevm` sub-command. Implementations are found by reflection, so adding one is adding a file.</summary>
internal interface ICommand
{
    /// <summary>The word after `jevm`.</summary>
    string Name { get; }
    /// <summary>One line for `jevm --help`.</summary>
    string Summary { get; }
    /// <summary>The full usage text for `jevm NAME --help`.</summary>
    string Usage { get; }
    /// <summary>Runs the command; returns the process exit code (0 ok, 1 failure found, 2 usage error).</summary>
    int Run(string[] args);
}

/// <summary>A usage error: printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

internal static class CommandLine
{
    public const int ExitOk = 0, ExitFailure = 1, ExitUsage = 2;

    public static IReadOnlyList<ICommand> Commands { get; } = Discover();

    private static List<ICommand> Discover()
    {
        var list = new List<ICommand>();
        foreach (var t in typeof(CommandLine).Assembly.GetTypes())
            if (!t.IsAbstract && typeof(ICommand).IsAssignableFrom(t))
                list.Add((ICommand)Activator.CreateInstance(t)!);
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            if (args.Length > 1 && args[0] == "help") return Run([args[1], "--help"]);
            PrintHelp(Console.Out);
            return ExitOk;
        }
        if (args[0] is "--version") return Run(["version"]);
        ICommand? cmd = null;
        foreach (var c in Commands) if (c.Name == args[0]) cmd = c;
        if (cmd is null)
        {
            Console.Error.WriteLine($"jevm: unknown command '{args[0]}' (see 'jevm --help')");
            return ExitUsage;
        }
        var rest = args[1..];
        if (Array.IndexOf(rest, "--help") >= 0 || Array.IndexOf(rest, "-h") >= 0)
        {
            Console.Out.WriteLine(cmd.Usage);
            return ExitOk;
        }
        return Invoke(cmd, rest);
    }

    /// <summary>Runs <paramref name="cmd"/>, turning every exception into one line on stderr and an exit code.</summary>
    internal static int Invoke(ICommand cmd, string[] rest)
    {
        try
        {
            return cmd.Run(rest);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"jevm {cmd.Name}: {OneLine(e.Message)}");
            return ExitUsage;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException or IOException
            or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"jevm {cmd.Name}: {OneLine(e.Message)}");
            return ExitUsage;
        }
        catch (Exception e)
        {
            // A failure of the work itself (a bug, or input no check caught): one line, not a stack trace, unless
            // JEVM_STACKTRACE is set.
            Console.Error.WriteLine($"jevm {cmd.Name}: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("JEVM_STACKTRACE") is { Length: > 0 }) Console.Error.WriteLine(e);
            return ExitFailure;
        }
    }

    /// <summary>The message on one line (some .NET messages span several).</summary>
    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    public static void PrintHelp(TextWriter w)
    {
        w.WriteLine("jevm — a JIT-compiling Ethereum Virtual Machine");
        w.WriteLine();
        w.WriteLine("usage: jevm COMMAND [OPTIONS]   (jevm COMMAND --help for its options)");
        w.WriteLine();
        w.WriteLine("commands:");
        foreach (var c in Commands) w.WriteLine($"  {c.Name,-12} {c.Summary}");
    }

    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
