using System.Text.RegularExpressions;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.StateTests;

/// <summary>Which cases of a file to run.</summary>
public sealed class StateTestFilter
{
    /// <summary>Only this fork (null: all).</summary>
    public Fork? Fork { get; init; }
    /// <summary>Only tests whose name matches (null: all).</summary>
    public Regex? NamePattern { get; init; }

    /// <summary>Everything.</summary>
    public static readonly StateTestFilter All = new();

    /// <summary>True when the case should run.</summary>
    public bool Includes(StateTest test, StateTestCase c) =>
        (Fork is null || c.Fork == Fork) && (NamePattern is null || NamePattern.IsMatch(test.Name));
}

/// <summary>Runs state-test cases on an engine and judges them.</summary>
public static class StateTestRunner
{
    /// <summary>The stack size of the threads that run transactions: deep enough for call depth 1024.</summary>
    public const int LargeStackSize = 256 * 1024 * 1024;

    /// <summary>Runs one case on <paramref name="engine"/>.</summary>
    public static CaseResult RunCase(StateTest test, StateTestCase c, IExecutionEngine engine)
    {
        if (c.Fork is not { } fork)
            return Skip(test, c, $"unknown fork '{c.ForkName}'");

        var state = test.Pre.Clone();
        var tx = StateTestLoader.BuildTransaction(test, c, out var buildError);
        TransactionResult result;
        if (tx is null) result = new TransactionResult { Error = buildError, Status = StatusCode.InternalError };
        else
        {
            try
            {
                result = TransactionProcessor.Execute(state, tx, test.Block, fork, engine);
            }
            catch (Exception e)
            {
                return new CaseResult { Test = test, Case = c, Outcome = CaseOutcome.Failed, Reason = $"exception: {e.GetType().Name}: {e.Message}" };
            }
        }

        if (result.UnimplementedPrecompile is { } p)
            return Skip(test, c, $"needs precompile {PrecompileName(p)}");

        var root = state.ComputeStateRoot();
        var logs = result.IsInvalid ? Keccak256.OfEmptyList : state.ComputeLogsHash();
        string? reason = null;
        if (result.InternalError is { } err) reason = $"internal error: {err.GetType().Name}: {err.Message}";
        else if (c.ExpectException is not null && !result.IsInvalid) reason = $"expected exception {c.ExpectException}, but the transaction was valid";
        else if (c.ExpectException is null && result.IsInvalid) reason = $"transaction rejected ({result.Error}) but expected valid";
        if (reason is null && (root != c.ExpectedRoot || logs != c.ExpectedLogs))
        {
            reason = root != c.ExpectedRoot ? $"state root: expected {c.ExpectedRoot}, got {root}" : "";
            if (logs != c.ExpectedLogs) reason += (reason.Length > 0 ? "; " : "") + $"logs hash: expected {c.ExpectedLogs}, got {logs}";
        }
        return new CaseResult
        {
            Test = test,
            Case = c,
            Outcome = reason is null ? CaseOutcome.Passed : CaseOutcome.Failed,
            Reason = reason,
            ActualRoot = root,
            ActualLogs = logs,
            GasUsed = result.GasUsed,
            Output = result.Output,
        };
    }

    private static CaseResult Skip(StateTest test, StateTestCase c, string reason) =>
        new() { Test = test, Case = c, Outcome = CaseOutcome.Skipped, Reason = reason };

    /// <summary>Loads a file and runs the cases the filter selects, in file order (on the calling thread).</summary>
    public static List<CaseResult> RunFile(string path, IExecutionEngine engine, StateTestFilter? filter = null)
    {
        filter ??= StateTestFilter.All;
        var results = new List<CaseResult>();
        foreach (var test in StateTestLoader.LoadFile(path))
            foreach (var c in test.Cases)
                if (filter.Includes(test, c)) results.Add(RunCase(test, c, engine));
        return results;
    }

    /// <summary>Runs <paramref name="work"/> on a new thread with a <see cref="LargeStackSize"/> stack and waits for it.</summary>
    public static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = e; }
        }, LargeStackSize);
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result;
    }

    /// <summary>
    /// Runs many files on <paramref name="workers"/> large-stack threads and hands each file's results (or its load
    /// error) to <paramref name="onFileDone"/> in the order of <paramref name="files"/>, on the calling thread.
    /// </summary>
    public static void RunFiles(IReadOnlyList<string> files, Func<IExecutionEngine> engineFactory, StateTestFilter filter, int workers,
        Action<int, List<CaseResult>?, Exception?> onFileDone)
    {
        var results = new List<CaseResult>?[files.Count];
        var errors = new Exception?[files.Count];
        var done = new bool[files.Count];
        int next = -1;
        var gate = new object();
        var threads = new List<Thread>();
        for (int w = 0; w < Math.Max(1, workers); w++)
        {
            var t = new Thread(() =>
            {
                var engine = engineFactory();
                int i;
                while ((i = Interlocked.Increment(ref next)) < files.Count)
                {
                    List<CaseResult>? r = null;
                    Exception? err = null;
                    try { r = RunFile(files[i], engine, filter); }
                    catch (Exception e) { err = e; }
                    lock (gate)
                    {
                        results[i] = r;
                        errors[i] = err;
                        done[i] = true;
                        Monitor.PulseAll(gate);
                    }
                }
            }, LargeStackSize) { IsBackground = true };
            threads.Add(t);
            t.Start();
        }
        for (int i = 0; i < files.Count; i++)
        {
            lock (gate)
            {
                while (!done[i]) Monitor.Wait(gate);
            }
            onFileDone(i, results[i], errors[i]);
            results[i] = null; // let the GC have it
        }
        foreach (var t in threads) t.Join();
    }

    /// <summary>The JSON files under <paramref name="path"/> (a file or a folder, recursively), sorted by path.</summary>
    public static List<string> FindFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"no such file or folder: {path}");
        var files = Directory.GetFiles(path, "*.json", SearchOption.AllDirectories).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>"0x06 (BN254 add)" and the like, for skip reasons.</summary>
    public static string PrecompileName(in Address address)
    {
        ulong n = address.IsAtMost(0x100) ? address.LowBits : ulong.MaxValue;
        string name = n switch
        {
            1 => "ecrecover",
            2 => "SHA-256",
            3 => "RIPEMD-160",
            4 => "identity",
            5 => "modexp",
            6 => "BN254 add",
            7 => "BN254 mul",
            8 => "BN254 pairing",
            9 => "blake2f",
            0x0a => "KZG point evaluation",
            0x0b => "BLS12-381 G1ADD",
            0x0c => "BLS12-381 G1MSM",
            0x0d => "BLS12-381 G2ADD",
            0x0e => "BLS12-381 G2MSM",
            0x0f => "BLS12-381 PAIRING_CHECK",
            0x10 => "BLS12-381 MAP_FP_TO_G1",
            0x11 => "BLS12-381 MAP_FP2_TO_G2",
            0x100 => "P256VERIFY",
            _ => "unknown",
        };
        return n == ulong.MaxValue ? address.ToString() : $"0x{n:x2} ({name})";
    }
}
