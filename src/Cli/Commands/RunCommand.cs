using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;
using Jevm.StateTests;

namespace Jevm.Cli.Commands;

internal sealed class RunCommand : ICommand
{
    public string Name => "run";
    public string Summary => "run EVM code as a top-level call (no arguments: a built-in demo)";
    public string Usage => """
        usage: jevm run [--code HEX | --codefile F] [--input HEX] [--gas N] [--fork F] [--engine E] [--trace]

        Runs the code as the code of a contract called by a funded account, against a fresh in-memory state, and prints
        the output, the gas used and the status. Without arguments it runs a built-in demo (Fibonacci by a loop).

          --code HEX     the code (hex, 0x optional)
          --codefile F   read the code (hex text) from a file
          --input HEX    call data (default empty)
          --gas N        gas for the call (decimal or 0x hex; default 10000000)
          --fork F       fork rules (default Cancun)
          --engine E     interpreter|jit|tiered (default interpreter)
          --trace        EIP-3155 JSON lines on stderr for every step
        """;

    /// <summary>The demo: Fibonacci(50) by a loop, keeping (a, b, n) on the stack; returns F(50) as a 32-byte word.</summary>
    internal const string DemoSource = """
        PUSH1 0            // a = F(0)
        PUSH1 1            // b = F(1)
        PUSH1 50           // n: iterations left
        :loop
        DUP1 ISZERO PUSH :done JUMPI
        PUSH1 1 SWAP1 SUB  // n - 1
        SWAP2 DUP2 ADD     // n' b a+b
        SWAP1 SWAP2        // b a+b n'
        PUSH :loop JUMP
        :done
        POP POP            // a
        PUSH1 0 MSTORE
        PUSH1 32 PUSH1 0 RETURN
        """;

    internal static readonly Address ContractAddress = Address.Parse("0x000000000000000000000000000000000000c0de");
    internal static readonly Address CallerAddress = Address.Parse("0x00000000000000000000000000000000000ca11e");

    public int Run(string[] args)
    {
        byte[]? code = null;
        byte[] input = [];
        long gas = 10_000_000;
        var fork = Fork.Cancun;
        var kind = EngineKind.Interpreter;
        bool trace = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value");
            switch (a)
            {
                case "--code": code = DecodeHex(Value(), "--code"); break;
                case "--codefile":
                    string path = Value();
                    if (!File.Exists(path)) throw new UsageException($"no such file: {path}");
                    code = DecodeHex(File.ReadAllText(path), path);
                    break;
                case "--input": input = DecodeHex(Value(), "--input"); break;
                case "--gas":
                    string g = Value();
                    bool hexGas = g.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
                    if (g.Length == (hexGas ? 2 : 0) || !UInt256.TryParse(g, out var gv, allowDecimal: !hexGas) || !gv.FitsInUInt64 || gv.U0 > long.MaxValue)
                        throw new UsageException($"bad gas '{g}': expected a number up to {long.MaxValue}");
                    gas = (long)gv.U0;
                    break;
                case "--fork": fork = StateTestCommand.ParseFork(Value()); break;
                case "--engine": kind = StateTestCommand.ParseEngine(Value()); break;
                case "--trace": trace = true; break;
                default: throw new UsageException($"unknown argument '{a}'");
            }
        }
        bool demo = code is null;
        if (demo)
        {
            code = Assembler.Assemble(DemoSource);
            Console.WriteLine("demo: Fibonacci(50) computed by a loop in EVM code (see 'jevm run --help' for options)");
            Console.WriteLine($"code:     {Hex.Encode(code)}");
        }
        var engine = StateTestCommand.CreateEngine(kind, trace ? new Eip3155Tracer(Console.Error) : null);
        var result = Execute(code!, input, gas, fork, engine);
        Console.WriteLine($"output:   {Hex.Encode(result.Output ?? [])}" + (demo && result.Output is { Length: 32 } o ? $" (= {Assembler.Decimal(UInt256.ReadBigEndian(o))})" : ""));
        Console.WriteLine($"gas used: {gas - result.GasLeft}");
        Console.WriteLine($"status:   {result.Status}");
        if (trace)
            Console.Error.WriteLine($"{{\"output\":\"{Convert.ToHexStringLower(result.Output ?? [])}\",\"gasUsed\":\"0x{gas - result.GasLeft:x}\"}}");
        return result.Status is StatusCode.Success ? CommandLine.ExitOk : CommandLine.ExitFailure;
    }

    private static byte[] DecodeHex(string text, string what)
    {
        if (!Hex.TryDecode(text, out var bytes, out var error)) throw new UsageException($"{what}: {error}");
        return bytes;
    }

    /// <summary>Runs <paramref name="code"/> as a contract called with <paramref name="input"/> on a fresh state.</summary>
    internal static ExecutionResult Execute(byte[] code, byte[] input, long gas, Fork fork, IExecutionEngine engine)
    {
        var state = new WorldState();
        state.SetAccount(ContractAddress, 1, UInt256.Zero, code);
        state.SetAccount(CallerAddress, 0, new UInt256(0, 0, 1, 0), []);
        state.BeginTransaction();
        if (fork >= Fork.Berlin)
        {
            state.WarmAccount(CallerAddress);
            state.WarmAccount(ContractAddress);
            foreach (var p in PrecompileRegistry.Addresses(fork)) state.WarmAccount(p);
        }
        var context = new TxContext { Origin = CallerAddress, BlockGasLimit = Math.Max(gas, 30_000_000), BlockNumber = 1, Timestamp = 1, GasPrice = 1 };
        var host = new StateHost(state, fork, engine, context);
        var message = new Message
        {
            Kind = CallKind.Call,
            Gas = gas,
            Sender = CallerAddress,
            Recipient = ContractAddress,
            CodeAddress = ContractAddress,
            Input = input,
        };
        return StateTestRunner.OnLargeStack(() => host.Call(message));
    }
}
