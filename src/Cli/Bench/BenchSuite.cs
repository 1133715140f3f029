using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>
/// Loads benchmark cases from disk: a folder with a <c>manifest.json</c> (the ../shared/bench layout), one of its
/// code or calldata files (the manifest's cases that use it), a folder holding <c>code.hex</c> and optionally
/// <c>calldata.hex</c>, or a single hex file of code (empty calldata).
/// </summary>
internal static class BenchSuite
{
    /// <summary>The file describing a folder of cases.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The cases at <paramref name="path"/>.</summary>
    public static List<BenchCase> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var manifest = Path.Combine(full, ManifestName);
            if (File.Exists(manifest)) return LoadManifest(full, _ => true);
            var code = Path.Combine(full, "code.hex");
            if (!File.Exists(code)) throw new UsageException($"'{path}' has neither {ManifestName} nor code.hex");
            var calldata = Path.Combine(full, "calldata.hex");
            return [new BenchCase(Path.GetFileName(full), ReadHex(code), File.Exists(calldata) ? ReadHex(calldata) : [])];
        }
        if (!File.Exists(full)) throw new UsageException($"'{path}' not found");
        // A file inside a manifest folder (code/X.hex, calldata/X.Y.hex): the manifest's cases that use it.
        var root = Path.GetDirectoryName(Path.GetDirectoryName(full));
        if (root is not null && File.Exists(Path.Combine(root, ManifestName)))
        {
            var cases = LoadManifest(root, rel => string.Equals(Path.GetFullPath(Path.Combine(root, rel)), full, StringComparison.Ordinal));
            if (cases.Count > 0) return cases;
        }
        return [new BenchCase(Path.GetFileNameWithoutExtension(full), ReadHex(full), [])];
    }

    /// <summary>The embedded programs or the cases at the paths, optionally filtered by a regular expression on the name.</summary>
    public static List<BenchCase> Select(IReadOnlyList<string> paths, string? filter)
    {
        var cases = new List<BenchCase>();
        if (paths.Count == 0) cases.AddRange(Programs.EmbeddedPrograms.All);
        foreach (var p in paths) cases.AddRange(Load(p));
        if (filter is not null)
        {
            var re = new System.Text.RegularExpressions.Regex(filter);
            cases.RemoveAll(c => !re.IsMatch(c.Name));
        }
        return cases;
    }

    private static byte[] ReadHex(string file)
    {
        var text = File.ReadAllText(file);
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var ch in text) if (!char.IsWhiteSpace(ch)) sb.Append(ch);
        if (!Hex.TryDecode(sb.ToString(), out var bytes, out var error)) throw new FormatException($"{file}: {error}");
        return bytes;
    }

    private static List<BenchCase> LoadManifest(string root, Func<string, bool> uses)
    {
        // A malformed manifest is bad input: one line naming the file and the problem.
        try { return ParseManifest(root, uses); }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"{Path.Combine(root, ManifestName)}: malformed manifest: {e.Message}");
        }
    }

    private static List<BenchCase> ParseManifest(string root, Func<string, bool> uses)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, ManifestName)));
        var list = new List<BenchCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string codeRel = c.GetProperty("code").GetString()!, dataRel = c.GetProperty("calldata").GetString()!;
            if (!uses(codeRel) && !uses(dataRel)) continue;
            var gas = new Dictionary<string, ExpectedGas?>(StringComparer.Ordinal);
            if (c.TryGetProperty("gas", out var g) && g.ValueKind == JsonValueKind.Object)
                foreach (var f in g.EnumerateObject())
                    gas[f.Name.ToLowerInvariant()] = f.Value.ValueKind == JsonValueKind.Object
                        ? new ExpectedGas(f.Value.GetProperty("executionGas").GetInt64(), f.Value.TryGetProperty("refund", out var r) ? r.GetInt64() : 0,
                            f.Value.TryGetProperty("txGasUsed", out var t) ? t.GetInt64() : 0)
                        : null;
            var minFork = Fork.Frontier;
            if (c.TryGetProperty("minFork", out var mf) && mf.GetString() is { } mfName && ForkNames.TryParse(mfName, out var parsed)) minFork = parsed;
            list.Add(new BenchCase(c.GetProperty("name").GetString()!, ReadHex(Path.Combine(root, codeRel)), ReadHex(Path.Combine(root, dataRel)))
            {
                ExpectedOutputHex = c.TryGetProperty("expectedOutput", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()!.ToLowerInvariant() : null,
                ExpectedGasByFork = gas,
                MinFork = minFork,
                Description = c.TryGetProperty("origin", out var origin) ? origin.GetString() ?? "" : "",
            });
        }
        return list;
    }
}
