using System.Text;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Cli.Fuzzing;

/// <summary>One frame's end as an engine reported it (frames in the order they ended).</summary>
internal readonly record struct FrameRecord(int Depth, StatusCode Status, long GasLeft, long Refund, int OutputLength, int OutputHash)
{
    public override string ToString() => $"depth {Depth + 1}: {Status} gasLeft={GasLeft} refund={Refund} output={OutputLength} bytes (#{OutputHash:x8})";
}

/// <summary>Everything a client could observe of one case on one engine.</summary>
internal sealed class Observation
{
    public required string Engine { get; init; }
    public string? Invalid { get; init; }
    public StatusCode Status { get; init; }
    public long GasUsed { get; init; }
    public long Refund { get; init; }
    public byte[] Output { get; init; } = [];
    public Hash256 LogsHash { get; init; }
    public Hash256 StateRoot { get; init; }
    public List<FrameRecord> Frames { get; init; } = [];
    /// <summary>An exception out of the engine or host (a crash of the case).</summary>
    public string? Crash { get; init; }

    public string Summary => Crash is not null ? $"crash: {Crash}" : Invalid is not null ? $"invalid: {Invalid}"
        : $"{Status} gasUsed={GasUsed} refund={Refund} output=0x{Convert.ToHexStringLower(Output)} logs={LogsHash} root={StateRoot}";
}

/// <summary>Wraps an engine to record the end of every frame it runs (all depths).</summary>
internal sealed class RecordingEngine(IExecutionEngine inner) : IExecutionEngine
{
    public readonly List<FrameRecord> Frames = new();
    public long TopRefund;

    public string Name => inner.Name;

    public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        var r = inner.Execute(host, fork, message, code, codeHash);
        var output = r.Output ?? [];
        Frames.Add(new FrameRecord(message.Depth, r.Status, r.GasLeft, r.GasRefund, output.Length, OutputHash(output)));
        if (message.Depth == 0) TopRefund = r.GasRefund;
        return r;
    }

    private static int OutputHash(byte[] data)
    {
        var h = new HashCode();
        h.AddBytes(data);
        return h.ToHashCode() & 0x7fffffff;
    }
}

/// <summary>A difference between two engines on one case.</summary>
internal sealed record Divergence(string Reference, string Other, string Fields, string Detail);

/// <summary>
/// Runs a case on engines and compares what a client could observe: validity, status, gas used, refund, output,
/// logs hash, post-state root, and the end of every frame. On a divergence <see cref="Explain"/> re-runs both engines
/// with EIP-3155 tracers and names the first differing trace step.
/// </summary>
internal static class FuzzOracle
{
    /// <summary>Runs <paramref name="c"/> on a fresh pre-state with <paramref name="engine"/>; never throws.</summary>
    public static Observation Run(FuzzCase c, IExecutionEngine engine)
    {
        var recorder = new RecordingEngine(engine);
        try
        {
            var state = c.PreState();
            var tx = c.BuildTransaction();
            var result = TransactionProcessor.Execute(state, tx, c.Block(), c.Fork, recorder);
            if (result.InternalError is { } err)
                return new Observation { Engine = engine.Name, Crash = $"{err.GetType().Name}: {err.Message}", Frames = recorder.Frames };
            return new Observation
            {
                Engine = engine.Name,
                Invalid = result.Error,
                Status = result.Status,
                GasUsed = result.GasUsed,
                Refund = recorder.TopRefund,
                Output = result.Output,
                LogsHash = result.IsInvalid ? Jevm.Crypto.Keccak256.OfEmptyList : state.ComputeLogsHash(),
                StateRoot = state.ComputeStateRoot(),
                Frames = recorder.Frames,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Observation { Engine = engine.Name, Crash = $"{e.GetType().Name}: {e.Message}", Frames = recorder.Frames };
        }
    }

    /// <summary>The fields in which <paramref name="b"/> differs from <paramref name="a"/> (null when none).</summary>
    public static string? Compare(Observation a, Observation b)
    {
        var diff = new List<string>();
        if (a.Crash != b.Crash) diff.Add("crash");
        if (a.Invalid != b.Invalid) diff.Add("validity");
        if (a.Status != b.Status) diff.Add("status");
        if (a.GasUsed != b.GasUsed) diff.Add("gasUsed");
        if (a.Refund != b.Refund) diff.Add("refund");
        if (!a.Output.AsSpan().SequenceEqual(b.Output)) diff.Add("output");
        if (a.LogsHash != b.LogsHash) diff.Add("logs");
        if (a.StateRoot != b.StateRoot) diff.Add("stateRoot");
        if (!a.Frames.SequenceEqual(b.Frames)) diff.Add("frames");
        return diff.Count == 0 ? null : string.Join(",", diff);
    }

    /// <summary>The first frame (in the order frames ended) that differs, or null.</summary>
    public static string? FirstFrameDifference(Observation a, Observation b)
    {
        int n = Math.Max(a.Frames.Count, b.Frames.Count);
        for (int i = 0; i < n; i++)
        {
            FrameRecord? fa = i < a.Frames.Count ? a.Frames[i] : null, fb = i < b.Frames.Count ? b.Frames[i] : null;
            if (fa != fb) return $"frame #{i + 1} to end: {a.Engine} {fa?.ToString() ?? "(none)"} vs {b.Engine} {fb?.ToString() ?? "(none)"}";
        }
        return null;
    }

    /// <summary>
    /// A description of the divergence: the two summaries, the first differing frame, and the first differing EIP-3155
    /// trace step (traces are taken by re-running with tracers; a traced jit/tiered frame runs in the interpreter, so
    /// for those engines the trace shows the reference path and the frame records localise the difference instead).
    /// </summary>
    public static string Explain(FuzzCase c, EngineKind reference, EngineKind other, Observation a, Observation b)
    {
        var s = new StringBuilder();
        s.Append($"{a.Engine}: {a.Summary}\n{b.Engine}: {b.Summary}\n");
        if (FirstFrameDifference(a, b) is { } f) s.Append(f).Append('\n');
        s.Append(FirstTraceDifference(c, reference, other)).Append('\n');
        return s.ToString();
    }

    /// <summary>Re-runs both engines with tracers and names the first differing step.</summary>
    public static string FirstTraceDifference(FuzzCase c, EngineKind reference, EngineKind other)
    {
        var ta = Trace(c, reference);
        var tb = Trace(c, other);
        return FirstDifferingLine(ta, tb, reference.ToString().ToLowerInvariant(), other.ToString().ToLowerInvariant());
    }

    /// <summary>The EIP-3155 trace lines of a case on an engine.</summary>
    public static string[] Trace(FuzzCase c, EngineKind kind)
    {
        var writer = new StringWriter();
        var tracer = new Eip3155Tracer(writer);
        Run(c, Engines.Create(kind, tracer));
        writer.Flush();
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>"trace step N differs: …" or "traces identical (N steps)".</summary>
    public static string FirstDifferingLine(string[] a, string[] b, string nameA, string nameB)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i]) return $"first differing trace step #{i + 1}:\n  {nameA}: {a[i]}\n  {nameB}: {b[i]}";
        if (a.Length != b.Length)
            return $"traces agree for {n} steps, then {(a.Length > n ? nameA : nameB)} goes on: {(a.Length > n ? a[n] : b[n])}";
        return $"EIP-3155 traces identical ({a.Length} steps): traced {nameB} frames run in the interpreter, so the divergence is in compiled code; see the first differing frame";
    }
}
