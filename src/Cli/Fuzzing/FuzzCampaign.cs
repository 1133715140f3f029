using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.StateTests;

namespace Jevm.Cli.Fuzzing;

/// <summary>What a campaign runs.</summary>
internal sealed record CampaignOptions
{
    public ulong Seed { get; init; }
    /// <summary>Cases to run (null: until <see cref="Seconds"/> pass).</summary>
    public long? Runs { get; init; }
    public double? Seconds { get; init; }
    /// <summary>The first case index (cases are numbered from here).</summary>
    public long FirstIndex { get; init; }
    /// <summary>The engines; the first is the reference the others are compared with.</summary>
    public EngineKind[] Engines { get; init; } = [EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered];
    public CaseOptions Cases { get; init; } = CaseOptions.Default;
    public string? OutDir { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary>An independent EVM to compare the reference with (null: none).</summary>
    public Func<IPeer>? Peer { get; init; }
    /// <summary>Divergences minimised and written (the rest are counted).</summary>
    public int MaxSaved { get; init; } = 20;
    public int MinimizeBudget { get; init; } = 300;
    /// <summary>Progress lines go here (null: none).</summary>
    public TextWriter? Progress { get; init; }
    /// <summary>Tests only: cases for which the worker throws, as a crash of the case would.</summary>
    public Func<long, bool>? InjectCrash { get; init; }
    /// <summary>Rewrite the progress line in place (a terminal) rather than printing one every 10 s.</summary>
    public bool LiveProgress { get; init; }
}

/// <summary>An independent EVM that runs state-test cases (see <see cref="EthereumJsPeer"/>).</summary>
internal interface IPeer : IDisposable
{
    string Name { get; }
    /// <summary>Runs a one-case state-test file; returns the post-state root, gas used and logs hash it computed.</summary>
    PeerResult Run(byte[] stateTestJson, string testName, Fork fork);
}

/// <summary>A peer's outcome of one case.</summary>
internal sealed record PeerResult(string? StateRoot, long GasUsed, string? LogsHash, string? Error, string? Unsupported);

/// <summary>A divergence the campaign found.</summary>
internal sealed record Finding(long Index, string Engines, string Fields, string? File, string Explanation);

/// <summary>The outcome of a campaign.</summary>
internal sealed class CampaignResult
{
    public long Programs;
    /// <summary>Codes generated afresh (contracts with code, and init codes), each counted once even when reused by several cases.</summary>
    public long GeneratedCodes;
    public int Divergences;
    public int Crashes;
    public int PeerUnsupported;
    public int CorpusSize;
    public double Seconds;
    public readonly ConcurrentQueue<Finding> Findings = new();
}

/// <summary>
/// A differential campaign: worker threads (with deep stacks) take case indexes in turn, generate the case of
/// (seed, index), run it on every engine and compare each with the first; a divergence is minimised, explained and
/// written as a state-test file. A case that throws is saved and the campaign goes on.
/// </summary>
internal sealed class FuzzCampaign(CampaignOptions options)
{
    private readonly CampaignResult _result = new();
    private readonly ConcurrentDictionary<long, byte> _corpus = new();
    private long _next;
    private long _done;
    private long _codes;
    private int _saved;
    private volatile bool _stop;

    public CampaignResult Run()
    {
        if (options.OutDir is { } dir) Directory.CreateDirectory(dir);
        _next = options.FirstIndex;
        var clock = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (int t = 0; t < Math.Max(1, options.Threads); t++)
        {
            var thread = new Thread(() => Worker(clock), StateTestRunner.LargeStackSize) { IsBackground = true, Name = $"fuzz-{t}" };
            threads.Add(thread);
            thread.Start();
        }
        long lastLine = 0;
        while (threads.Exists(t => t.IsAlive))
        {
            // The last live thread may end between Exists and Find: then there is nothing to wait for.
            threads.Find(t => t.IsAlive)?.Join(250);
            if (options.Seconds is { } s && clock.Elapsed.TotalSeconds >= s) _stop = true;
            long ms = clock.ElapsedMilliseconds;
            if (options.Progress is not null && (options.LiveProgress ? ms - lastLine >= 1000 : ms - lastLine >= 10_000))
            {
                lastLine = ms;
                WriteProgress(clock, final: false);
            }
        }
        _result.Programs = Interlocked.Read(ref _done);
        _result.GeneratedCodes = Interlocked.Read(ref _codes);
        _result.CorpusSize = _corpus.Count;
        _result.Seconds = clock.Elapsed.TotalSeconds;
        if (options.Progress is not null) WriteProgress(clock, final: true);
        return _result;
    }

    private void WriteProgress(Stopwatch clock, bool final)
    {
        long done = Interlocked.Read(ref _done);
        double s = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{s,6:F0}s] {done} programs, {done / s:F0} programs/s ({done * options.Engines.Length / s:F0} execs/s), {Interlocked.Read(ref _codes)} codes generated, {_result.Divergences} divergences, {_result.Crashes} crashes, corpus {_corpus.Count}");
        if (options.LiveProgress) options.Progress!.Write("\r" + line + (final ? "\n" : ""));
        else options.Progress!.WriteLine(line);
        options.Progress!.Flush();
    }

    /// <summary>
    /// The fuzzer's tiered engine compiles a code once it ran a few times in the process, whatever gas it spent (the
    /// default policy would leave most generated programs interpreted): so that frames run compiled and interpreted
    /// side by side.
    /// </summary>
    internal static TieringPolicy Tiering { get; } = new() { HotExecutions = 8 };

    private void Worker(Stopwatch clock)
    {
        var engines = new IExecutionEngine[options.Engines.Length];
        for (int i = 0; i < engines.Length; i++) engines[i] = Engines.Create(options.Engines[i], tiering: Tiering);
        using var peer = options.Peer?.Invoke();
        while (!_stop)
        {
            long index = Interlocked.Increment(ref _next) - 1;
            if (options.Runs is { } runs && index - options.FirstIndex >= runs) break;
            if (options.Seconds is { } s && clock.Elapsed.TotalSeconds >= s) break;
            FuzzCase? c = null;
            try
            {
                c = CaseGenerator.Generate(options.Seed, index, options.Cases);
                // A family of cases that reuse programs generates them once, for its first case.
                if (index % Math.Max(1, options.Cases.Reuse) == 0 || index == options.FirstIndex) Interlocked.Add(ref _codes, GeneratedCodes(c));
                if (options.InjectCrash?.Invoke(index) == true) throw new InvalidOperationException($"injected crash of case {index}");
                RunCase(c, engines, peer);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _result.Crashes);
                SaveCrash(index, c, e);
            }
            Interlocked.Increment(ref _done);
        }
    }

    private void RunCase(FuzzCase c, IExecutionEngine[] engines, IPeer? peer)
    {
        var reference = FuzzOracle.Run(c, engines[0]);
        _corpus.TryAdd(Signature(c, reference), 0);
        for (int k = 1; k < engines.Length; k++)
        {
            var other = FuzzOracle.Run(c, engines[k]);
            if (FuzzOracle.Compare(reference, other) is { } fields)
                OnEngineDivergence(c, options.Engines[0], options.Engines[k], engines[0], engines[k], fields);
        }
        if (reference.Crash is not null)
        {
            Interlocked.Increment(ref _result.Crashes);
            SaveCrash(c.Index, c, new InvalidOperationException(reference.Crash));
            return;
        }
        if (peer is not null) ComparePeer(c, reference, engines[0], peer);
    }

    /// <summary>The codes a case generated: its contracts that have code, and its init code.</summary>
    private static int GeneratedCodes(FuzzCase c)
    {
        int n = c.Transaction.InitCode is null ? 0 : 1;
        foreach (var a in c.Accounts) if (a.Code.Size > 0) n++;
        return n;
    }

    /// <summary>Buckets of what the reference did: a new bucket is a behaviour not seen before (the corpus).</summary>
    private static long Signature(FuzzCase c, Observation o)
    {
        var h = new HashCode();
        h.Add(c.Fork);
        h.Add(o.Invalid is null);
        h.Add(o.Status);
        h.Add(Math.Min(o.Frames.Count, 8));
        for (int i = 0; i < o.Frames.Count && i < 6; i++) { h.Add(o.Frames[i].Status); h.Add(o.Frames[i].Depth); }
        h.Add(Math.Min(o.Output.Length, 65) / 8);
        h.Add(64 - ulong.LeadingZeroCount((ulong)Math.Max(0, o.GasUsed)));
        h.Add(o.Refund > 0);
        return h.ToHashCode();
    }

    private void OnEngineDivergence(FuzzCase c, EngineKind refKind, EngineKind otherKind, IExecutionEngine refEngine, IExecutionEngine otherEngine, string fields)
    {
        Interlocked.Increment(ref _result.Divergences);
        string engines = $"{refKind.ToString().ToLowerInvariant()} vs {otherKind.ToString().ToLowerInvariant()}";
        if (Interlocked.Increment(ref _saved) > options.MaxSaved)
        {
            _result.Findings.Enqueue(new Finding(c.Index, engines, fields, null, "(not minimised: too many divergences)"));
            return;
        }
        bool Diverges(FuzzCase x) => FuzzOracle.Compare(FuzzOracle.Run(x, refEngine), FuzzOracle.Run(x, otherEngine)) is not null;
        var small = CaseShrinker.Minimize(c, Diverges, options.MinimizeBudget);
        var a = FuzzOracle.Run(small, refEngine);
        var b = FuzzOracle.Run(small, otherEngine);
        string explanation = FuzzOracle.Explain(small, refKind, otherKind, a, b);
        if (a.StateRoot == b.StateRoot && a.LogsHash == b.LogsHash)
        {
            // A state test sees only the root and logs: send the transaction through the observer, which stores the
            // output and status, when that makes the divergence visible.
            var wrapped = Observer.Wrap(small);
            var wa = FuzzOracle.Run(wrapped, refEngine);
            var wb = FuzzOracle.Run(wrapped, otherEngine);
            if (wa.StateRoot != wb.StateRoot || wa.LogsHash != wb.LogsHash)
            {
                explanation += $"the file sends the transaction through the observer contract {Observer.Address} (stores the output and status), which makes the divergence visible to a state test\n";
                small = wrapped;
                a = wa;
            }
            else explanation += "the divergence does not reach the state root or logs, so the state-test file alone does not show it: run the case with jevm fuzz --first INDEX --runs 1\n";
        }
        string? file = Save(small, a, $"div-{c.Seed}-{c.Index}-{otherKind.ToString().ToLowerInvariant()}",
            $"{engines} differ in {FuzzOracle.Compare(a, b) ?? fields}; minimised from {c.PieceCount} to {small.PieceCount} pieces; replay: jevm statetest --engine {(otherKind == EngineKind.Tiered ? "jit" : otherKind.ToString().ToLowerInvariant())} FILE{(otherKind == EngineKind.Tiered ? $" (the fuzzer's tiered engine compiles a code only once it ran {Tiering.HotExecutions} times in the process, and then runs the jit's compiled code)" : "")}",
            explanation);
        _result.Findings.Enqueue(new Finding(c.Index, engines, fields, file, explanation));
    }

    private void ComparePeer(FuzzCase c, Observation reference, IExecutionEngine refEngine, IPeer peer)
    {
        string? Difference(FuzzCase x, Observation o)
        {
            var json = StateTestWriter.ToJson(x, o.StateRoot, o.LogsHash, o.Invalid, "peer check");
            var p = peer.Run(json, x.Name, x.Fork);
            if (p.Unsupported is not null) return null;
            if (p.Error is not null) return $"peer error: {p.Error}";
            if (o.Invalid is not null) return p.StateRoot is null ? null : "validity";
            var fields = new List<string>();
            if (!string.Equals(p.StateRoot, o.StateRoot.ToString(), StringComparison.OrdinalIgnoreCase)) fields.Add("stateRoot");
            if (p.GasUsed != o.GasUsed) fields.Add("gasUsed");
            if (p.LogsHash is not null && !string.Equals(p.LogsHash, o.LogsHash.ToString(), StringComparison.OrdinalIgnoreCase)) fields.Add("logs");
            return fields.Count == 0 ? null : string.Join(",", fields);
        }
        var first = peer.Run(StateTestWriter.ToJson(c, reference.StateRoot, reference.LogsHash, reference.Invalid, "peer check"), c.Name, c.Fork);
        if (first.Unsupported is not null) { Interlocked.Increment(ref _result.PeerUnsupported); return; }
        if (Difference(c, reference) is not { } fields) return;
        Interlocked.Increment(ref _result.Divergences);
        string engines = $"{refEngine.Name} vs {peer.Name}";
        if (Interlocked.Increment(ref _saved) > options.MaxSaved)
        {
            _result.Findings.Enqueue(new Finding(c.Index, engines, fields, null, "(not minimised: too many divergences)"));
            return;
        }
        var small = CaseShrinker.Minimize(c, x => Difference(x, FuzzOracle.Run(x, refEngine)) is not null, options.MinimizeBudget);
        var o = FuzzOracle.Run(small, refEngine);
        var p = peer.Run(StateTestWriter.ToJson(small, o.StateRoot, o.LogsHash, o.Invalid, "peer check"), small.Name, small.Fork);
        string explanation = $"{refEngine.Name}: {o.Summary}\n{peer.Name}: root={p.StateRoot} gasUsed={p.GasUsed} logs={p.LogsHash} error={p.Error}\n";
        string? file = Save(small, o, $"peer-{c.Seed}-{c.Index}-{peer.Name}",
            $"{engines} differ in {Difference(small, o) ?? fields}; expected values are Jevm's ({refEngine.Name}); minimised from {c.PieceCount} to {small.PieceCount} pieces",
            explanation);
        _result.Findings.Enqueue(new Finding(c.Index, engines, fields, file, explanation));
    }

    private string? Save(FuzzCase c, Observation reference, string name, string comment, string explanation)
    {
        if (options.OutDir is not { } dir) return null;
        var path = Path.Combine(dir, name + ".json");
        File.WriteAllBytes(path, StateTestWriter.ToJson(c, reference.StateRoot, reference.LogsHash, reference.Invalid, comment));
        File.WriteAllText(Path.Combine(dir, name + ".txt"), $"{comment}\nprograms: {string.Join(" | ", c.Accounts.Select(a => a.Code.ToString()))}\n{explanation}");
        return path;
    }

    private void SaveCrash(long index, FuzzCase? c, Exception e)
    {
        if (options.OutDir is not { } dir) return;
        string name = $"crash-{options.Seed}-{index}";
        try
        {
            if (c is not null) File.WriteAllBytes(Path.Combine(dir, name + ".json"), StateTestWriter.ToJson(c, default, default, null, $"crash: {e.GetType().Name}: {e.Message}"));
            File.WriteAllText(Path.Combine(dir, name + ".txt"), $"jevm fuzz --seed {options.Seed}: case {index} crashed\n{e}\n");
            _result.Findings.Enqueue(new Finding(index, "crash", e.GetType().Name, Path.Combine(dir, name + ".json"), e.Message));
        }
        catch (IOException) { }
    }
}
