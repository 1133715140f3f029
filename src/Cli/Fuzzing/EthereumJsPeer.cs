using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Jevm.Evm;

namespace Jevm.Cli.Fuzzing;

/// <summary>
/// The @ethereumjs/vm peer: one long-lived <c>node fuzz/peer-ethereumjs/peer.mjs</c> per worker thread, fed the path of
/// a state-test file per case and answering with the post-state root, gas used and logs hash it computed. The npm
/// packages (pinned by the folder's package-lock.json) are installed by <see cref="Prepare"/> with <c>npm ci</c> into
/// a cache folder named after the lock file's hash, once.
/// </summary>
internal sealed class EthereumJsPeer : IPeer
{
    private static readonly string[] s_files = ["package.json", "package-lock.json", "peer.mjs"];
    private readonly Process _node;
    private readonly string _caseFile;

    private EthereumJsPeer(string dir)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("peer.mjs");
        _node = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        _caseFile = Path.Combine(Path.GetTempPath(), $"jevm-peer-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
    }

    public string Name => "ethereumjs";

    /// <summary>The folder with the peer's sources: fuzz/peer-ethereumjs beside the current folder or jevm's own.</summary>
    public static string? FindSources()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var p = Path.Combine(d.FullName, "fuzz", "peer-ethereumjs");
                if (File.Exists(Path.Combine(p, "peer.mjs"))) return p;
            }
        return null;
    }

    /// <summary>
    /// Copies the peer to its cache folder ($JEVM_CACHE or ~/.cache/jevm), installs the locked packages there when
    /// missing, and returns a factory of peer processes.
    /// </summary>
    public static Func<IPeer> Prepare(TextWriter log)
    {
        var sources = FindSources() ?? throw new UsageException("cannot find fuzz/peer-ethereumjs (run from the repository)");
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(sources, "package-lock.json"))))[..16];
        var cacheRoot = Environment.GetEnvironmentVariable("JEVM_CACHE") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "jevm");
        var dir = Path.Combine(cacheRoot, $"peer-ethereumjs-{lockHash}");
        Directory.CreateDirectory(dir);
        foreach (var f in s_files) File.Copy(Path.Combine(sources, f), Path.Combine(dir, f), overwrite: true);
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@ethereumjs", "vm")))
        {
            log.WriteLine($"jevm fuzz: installing the ethereumjs peer (npm ci) in {dir}");
            var psi = new ProcessStartInfo("npm") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) psi.ArgumentList.Add(a);
            Process? npm;
            try { npm = Process.Start(psi); }
            catch (System.ComponentModel.Win32Exception e) { throw new UsageException($"the ethereumjs peer needs node and npm: {e.Message}"); }
            if (npm is null) throw new UsageException("could not start npm");
            npm.StandardOutput.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0) throw new UsageException($"npm ci failed (exit {npm.ExitCode}) in {dir}");
        }
        return () => new EthereumJsPeer(dir);
    }

    public PeerResult Run(byte[] stateTestJson, string testName, Fork fork)
    {
        File.WriteAllBytes(_caseFile, stateTestJson);
        _node.StandardInput.WriteLine(_caseFile);
        _node.StandardInput.Flush();
        string? line = _node.StandardOutput.ReadLine();
        if (line is null) return new PeerResult(null, 0, null, "the peer process ended", null);
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        string? Str(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new PeerResult(Str("stateRoot"), r.TryGetProperty("gasUsed", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : 0,
            Str("logsHash"), Str("error"), Str("unsupported"));
    }

    public void Dispose()
    {
        try
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000)) _node.Kill();
        }
        catch (InvalidOperationException) { }
        _node.Dispose();
        try { File.Delete(_caseFile); } catch (IOException) { }
    }
}
