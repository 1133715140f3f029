namespace Jevm.Tests.Conformance;

/// <summary>
/// The checked-in list of conformance cases known to fail (known-failures.txt beside this file). One entry per line,
/// tab-separated: engine, file path relative to the suite folder, case id ("test fork dD gG vV") or "*" for the whole
/// file, and the reason. Lines starting with '#' are comments.
/// </summary>
internal sealed class KnownFailures
{
    private readonly Dictionary<(string Engine, string File), Dictionary<string, string>> _entries = new();

    public static KnownFailures Instance { get; } = Load();

    private static KnownFailures Load()
    {
        var list = new KnownFailures();
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        if (dir is null) return list;
        var path = Path.Combine(dir.FullName, "tests", "Jevm.Tests", "Conformance", "known-failures.txt");
        if (!File.Exists(path)) return list;
        foreach (var raw in File.ReadAllLines(path))
        {
            if (raw.Length == 0 || raw.StartsWith('#')) continue;
            var parts = raw.Split('\t');
            if (parts.Length < 4) throw new FormatException($"known-failures.txt: expected 4 tab-separated fields: '{raw}'");
            var key = (parts[0].Trim().ToLowerInvariant(), parts[1].Trim().Replace('\\', '/'));
            if (!list._entries.TryGetValue(key, out var cases)) list._entries[key] = cases = new Dictionary<string, string>();
            cases[parts[2].Trim()] = parts[3].Trim();
        }
        return list;
    }

    /// <summary>The listed cases of a file ("*" for the whole file), case id → reason.</summary>
    public IReadOnlyDictionary<string, string> For(string engine, string file) =>
        _entries.TryGetValue((engine.ToLowerInvariant(), file.Replace('\\', '/')), out var d) ? d : s_none;

    private static readonly Dictionary<string, string> s_none = new();
}
