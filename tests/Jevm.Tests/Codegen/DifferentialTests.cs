using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;

namespace Jevm.Tests.Codegen;

/// <summary>
/// The JIT against the interpreter (the reference) on generated programs: status, gas left, refund, output, logs and
/// the storage of every account must be identical, at full gas and at gas limits that run out at many points.
/// </summary>
public class DifferentialTests
{
    private static readonly Address[] s_callees =
    [
        Address.Parse("0x0000000000000000000000000000000000001001"),
        Address.Parse("0x0000000000000000000000000000000000001002"),
        Address.Parse("0x0000000000000000000000000000000000001003"),
    ];

    private sealed record Outcome(StatusCode Status, long GasLeft, long Refund, string Output, string Logs, string Storage)
    {
        public override string ToString() => $"{Status} gas={GasLeft} refund={Refund} out={Output} logs={Logs} storage={Storage}";
    }

    /// <summary>Tiny regions: every block its own method, large blocks cut into segments, so region exits are everywhere.</summary>
    private static readonly JitEngine s_tinyRegions = new(cache: new CompiledCodeCache(), options: new JitOptions
    {
        RegionIlBytes = 600, RegionIlInstructions = 300, RegionBasicBlocks = 40, RegionLocalRefs = 120,
    });

    /// <summary>Runs on the interpreter, the JIT, or (<paramref name="tiny"/>) the JIT with tiny regions.</summary>
    private static Outcome Execute(EngineKind kind, Fork fork, byte[] code, byte[][] callees, long gas, bool tiny = false)
    {
        var host = tiny ? new TestHost(s_tinyRegions, fork) : new TestHost(kind, fork);
        host.WithBalance(TestHost.Contract, new UInt256(1_000_000));
        for (int i = 0; i < callees.Length; i++) host.WithCode(s_callees[i], callees[i]);
        var r = host.Run(code, gas);
        var logs = string.Join(";", host.Logs.Select(l => $"{l.Address}:{Convert.ToHexString(l.Data)}:{string.Join(",", l.Topics)}"));
        var storage = string.Join(";", new[] { TestHost.Contract }.Concat(s_callees)
            .Select(a => a + "{" + string.Join(",", host.Account(a).Storage.OrderBy(kv => kv.Key.ToString()).Select(kv => $"{kv.Key}={kv.Value}")) + "}"));
        return new Outcome(r.Status, r.GasLeft, r.GasRefund, Convert.ToHexString(r.Output), logs, storage);
    }

    /// <summary>Runs a program on both engines at several gas limits; returns a description of the first difference.</summary>
    private static string? Compare(Fork fork, byte[] code, byte[][] callees, long gas, Random random)
    {
        var reference = Execute(EngineKind.Interpreter, fork, code, callees, gas);
        var jit = Execute(EngineKind.Jit, fork, code, callees, gas);
        if (reference != jit) return $"gas {gas}: interpreter {reference} vs jit {jit}";
        var tiny = Execute(EngineKind.Jit, fork, code, callees, gas, tiny: true);
        if (reference != tiny) return $"gas {gas}: interpreter {reference} vs jit with tiny regions {tiny}";
        // Gas limits that run out inside the program: every few units below what it used.
        long used = gas - reference.GasLeft;
        if (reference.Status is StatusCode.Success or StatusCode.Revert && used > 0)
        {
            var limits = new List<long> { used - 1, used / 2, random.NextInt64(0, used), random.NextInt64(0, used) };
            foreach (long limit in limits)
            {
                if (limit < 0) continue;
                var r = Execute(EngineKind.Interpreter, fork, code, callees, limit);
                var j = Execute(EngineKind.Jit, fork, code, callees, limit);
                if (r != j) return $"gas {limit}: interpreter {r} vs jit {j}";
                var t = Execute(EngineKind.Jit, fork, code, callees, limit, tiny: true);
                if (r != t) return $"gas {limit}: interpreter {r} vs jit with tiny regions {t}";
            }
        }
        return null;
    }

    private static void Check(int seed, Fork fork, int segments)
    {
        var callees = new byte[s_callees.Length][];
        for (int i = 0; i < callees.Length; i++) callees[i] = new ProgramGenerator(seed * 7 + i + 1).Build(4 + i * 3, allowCalls: false);
        var code = new ProgramGenerator(seed, s_callees).Build(segments);
        // The program must really be compiled, not quietly interpreted.
        Assert.NotNull(JitCompiler.TryCompile(code, fork, out var reason));
        Assert.Null(reason);
        var diff = Compare(fork, code, callees, 3_000_000, new Random(seed));
        Assert.True(diff is null, $"seed {seed}, {fork}, code {Convert.ToHexString(code)}: {diff}");
    }

    [Property(MaxTest = 150)]
    public void Generated_programs_agree_on_cancun(int seed) => Check(seed, Fork.Cancun, 12);

    [Property(MaxTest = 60)]
    public void Long_generated_programs_agree_on_osaka(int seed) => Check(seed, Fork.Osaka, 60);

    [Property(MaxTest = 60)]
    public void Generated_programs_agree_on_older_forks(int seed)
    {
        var forks = new[] { Fork.Frontier, Fork.Homestead, Fork.Byzantium, Fork.Istanbul, Fork.Berlin, Fork.London, Fork.Shanghai };
        Check(seed, forks[Math.Abs(seed % forks.Length)], 16);
    }

    [Property(MaxTest = 200)]
    public void Random_bytes_agree(int seed)
    {
        // Unstructured code: mostly undefined opcodes, underflows and bad jumps, with JUMPDESTs sprinkled in.
        var random = new Random(seed);
        var code = new byte[1 + random.Next(200)];
        random.NextBytes(code);
        for (int i = 0; i < code.Length; i += 1 + random.Next(12)) code[i] = random.Next(3) == 0 ? OpcodeTable.JUMPDEST : (byte)(0x60 + random.Next(32));
        var reference = Execute(EngineKind.Interpreter, Fork.Cancun, code, [], 100_000);
        var jit = Execute(EngineKind.Jit, Fork.Cancun, code, [], 100_000);
        Assert.Equal(reference, jit);
    }

    [Fact]
    public void Out_of_gas_at_every_point_of_a_block_agrees()
    {
        // One long block with GAS reads, memory expansion and SSTORE in the middle; run with every gas limit up to
        // what it needs so that gas runs out at every instruction.
        var code = Code.New.Push(1).Push(2).Op(OpcodeTable.ADD).Op(OpcodeTable.GAS).Push(64).Op(OpcodeTable.MSTORE)
            .Op(OpcodeTable.GAS).Push(7).Op(OpcodeTable.SSTORE).Op(OpcodeTable.GAS).Push(0).Op(OpcodeTable.MSTORE)
            .Return(0, 96).Build();
        var full = Execute(EngineKind.Interpreter, Fork.Cancun, code, [], 100_000);
        Assert.Equal(StatusCode.Success, full.Status);
        long used = 100_000 - full.GasLeft;
        for (long gas = 0; gas <= used + 2; gas++)
        {
            var r = Execute(EngineKind.Interpreter, Fork.Cancun, code, [], gas);
            var j = Execute(EngineKind.Jit, Fork.Cancun, code, [], gas);
            Assert.True(r == j, $"gas {gas}: interpreter {r} vs jit {j}");
            var t = Execute(EngineKind.Jit, Fork.Cancun, code, [], gas, tiny: true);
            Assert.True(r == t, $"gas {gas}: interpreter {r} vs jit with tiny regions {t}");
        }
    }

    [Fact]
    public void Stack_overflow_and_underflow_agree()
    {
        var overflow = Code.New;
        for (int i = 0; i < 1030; i++) overflow.Op(OpcodeTable.PC);
        var underflow = Code.New.Push(1).Op(OpcodeTable.ADD).Build();
        foreach (var code in new[] { overflow.Build(), underflow })
            Assert.Equal(Execute(EngineKind.Interpreter, Fork.Cancun, code, [], 100_000), Execute(EngineKind.Jit, Fork.Cancun, code, [], 100_000));
    }
}
