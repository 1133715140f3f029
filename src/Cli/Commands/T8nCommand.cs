using System.Text.Json;
using System.Text.Json.Nodes;
using Jevm.Cli.T8n;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.StateTests;

namespace Jevm.Cli.Commands;

/// <summary><c>jevm t8n</c>: geth's <c>evm t8n</c> state-transition tool interface.</summary>
internal sealed class T8nCommand : ICommand
{
    public string Name => "t8n";
    public string Summary => "state transition tool with geth's `evm t8n` interface (alloc + env + txs -> result + alloc)";
    public string Usage => """
        usage: jevm t8n [--input.alloc F] [--input.env F] [--input.txs F] [--state.fork NAME] [--state.reward N]
                        [--state.chainid N] [--output.basedir DIR] [--output.result F] [--output.alloc F] [--engine E]

        Applies the transactions of txs.json to the accounts of alloc.json in the block of env.json, as geth's
        `evm t8n` does, and writes the post-state (alloc.json) and the result (result.json: stateRoot, txRoot,
        receiptsRoot, logsHash, logsBloom, receipts, rejected, gasUsed, currentDifficulty/currentBaseFee/
        currentExcessBlobGas/blobGasUsed/withdrawalsRoot as the fork has them). Options take "--opt value" or "--opt=value".

          --input.alloc F    pre-state accounts (default alloc.json); "stdin": read {"alloc","env","txs"} from stdin
          --input.env F      block environment (default env.json); "stdin" as above
          --input.txs F      transactions, JSON array (default txs.json): signed (v, r, s) or with "secretKey"; "stdin"
          --state.fork NAME  fork rules (default Cancun; fixture names such as Merge or EIP158 accepted)
          --state.reward N   block reward in wei before the Merge; -1 (default here) for none
          --state.chainid N  chain id (default 1)
          --output.basedir D folder the output files go to (created when missing)
          --output.result F  result file (default result.json); "stdout"/"stderr" to print it
          --output.alloc F   post-state file (default alloc.json); "stdout"/"stderr" to print it
          --engine E         interpreter | jit | tiered (default interpreter)

        Outputs sent to stdout are printed as one object {"alloc": ..., "result": ...}. Exit codes as geth's: 0 ok,
        3 bad configuration (unknown fork), 10 bad JSON input, 11 I/O error, 2 usage error.
        """;

    public int Run(string[] args)
    {
        string allocPath = "alloc.json", envPath = "env.json", txsPath = "txs.json";
        string resultOut = "result.json", allocOut = "alloc.json", baseDir = "";
        string forkName = "Cancun";
        UInt256? reward = null;
        ulong chainId = 1;
        var engineKind = EngineKind.Interpreter;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value"));
            switch (a)
            {
                case "--input.alloc": allocPath = Value(); break;
                case "--input.env": envPath = Value(); break;
                case "--input.txs": txsPath = Value(); break;
                case "--state.fork": forkName = Value(); break;
                case "--state.reward":
                    string rv = Value();
                    if (rv.Trim() == "-1") reward = null;
                    else reward = UInt256.TryParse(rv, out var rw) || UInt256.TryParse("0x" + System.Numerics.BigInteger.Parse(rv).ToString("x"), out rw)
                        ? rw : throw new UsageException($"bad --state.reward '{rv}'");
                    break;
                case "--state.chainid":
                    string cv = Value();
                    if (!ulong.TryParse(cv, out chainId)) throw new UsageException($"bad --state.chainid '{cv}'");
                    break;
                case "--output.basedir": baseDir = Value(); break;
                case "--output.result": resultOut = Value(); break;
                case "--output.alloc": allocOut = Value(); break;
                case "--output.body": throw new UsageException("--output.body is not supported");
                case "--engine": engineKind = StateTestCommand.ParseEngine(Value()); break;
                case "--trace": throw new UsageException("--trace is not supported by jevm t8n yet (use jevm statetest --json)");
                default: throw new UsageException($"unknown option '{a}'");
            }
        }
        if (!ForkNames.TryParse(forkName, out var fork))
        {
            Console.Error.WriteLine($"jevm t8n: unknown fork '{forkName}'");
            return T8nRunner.ExitConfig;
        }

        JsonDocument? stdinDoc = null;
        try
        {
            JsonElement Load(string path, string key)
            {
                if (path == "stdin")
                {
                    stdinDoc ??= JsonDocument.Parse(Console.In.ReadToEnd());
                    return stdinDoc.RootElement.TryGetProperty(key, out var e) ? e : throw new T8nInputException($"stdin: no \"{key}\" member", T8nRunner.ExitJson);
                }
                string text;
                try { text = File.ReadAllText(path); }
                catch (IOException e) { throw new T8nInputException($"{path}: {e.Message}", T8nRunner.ExitIo); }
                catch (UnauthorizedAccessException e) { throw new T8nInputException($"{path}: {e.Message}", T8nRunner.ExitIo); }
                try { return JsonDocument.Parse(text).RootElement; }
                catch (JsonException e) { throw new T8nInputException($"{path}: bad JSON: {e.Message}", T8nRunner.ExitJson); }
            }
            if (txsPath.EndsWith(".rlp", StringComparison.OrdinalIgnoreCase))
                throw new UsageException("RLP transaction input (.rlp) is not supported; give txs.json");
            var alloc = Load(allocPath, "alloc");
            var env = Load(envPath, "env");
            var txs = Load(txsPath, "txs");

            var (post, result) = StateTestRunner.OnLargeStack(() =>
                T8nRunner.Run(alloc, env, txs, fork, chainId, reward, StateTestCommand.CreateEngine(engineKind, null)));

            var toStdout = new JsonObject();
            var toStderr = new JsonObject();
            void Emit(string target, string key, JsonObject value)
            {
                if (target == "stdout") toStdout[key] = value;
                else if (target == "stderr") toStderr[key] = value;
                else
                {
                    string path = baseDir.Length > 0 ? Path.Combine(baseDir, target) : target;
                    try
                    {
                        if (baseDir.Length > 0) Directory.CreateDirectory(baseDir);
                        File.WriteAllText(path, value.ToJsonString(s_indented));
                    }
                    catch (IOException e) { throw new T8nInputException($"{path}: {e.Message}", T8nRunner.ExitIo); }
                }
            }
            Emit(allocOut, "alloc", post);
            Emit(resultOut, "result", result);
            if (toStdout.Count > 0) Console.Out.WriteLine(toStdout.ToJsonString(s_indented));
            if (toStderr.Count > 0) Console.Error.WriteLine(toStderr.ToJsonString(s_indented));
            return CommandLine.ExitOk;
        }
        catch (T8nInputException e)
        {
            Console.Error.WriteLine($"jevm t8n: {e.Message}");
            return e.ExitCode;
        }
        catch (JsonException e)
        {
            Console.Error.WriteLine($"jevm t8n: bad JSON: {e.Message}");
            return T8nRunner.ExitJson;
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"jevm t8n: {e.Message}");
            return T8nRunner.ExitJson;
        }
        finally
        {
            stdinDoc?.Dispose();
        }
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
}
