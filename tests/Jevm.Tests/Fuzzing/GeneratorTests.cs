using Jevm.Cli.Fuzzing;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.StateTests;

namespace Jevm.Tests.Fuzzing;

/// <summary>The fuzzer's generators: deterministic, covering every opcode, mostly valid, shrinkable.</summary>
public class GeneratorTests
{
    private static string Fingerprint(FuzzCase c) =>
        $"{c.Fork}|{string.Join("|", c.Accounts.Select(a => $"{a.Address}:{Convert.ToHexString(a.Code.Render())}:{a.Balance}:{a.Nonce}:{string.Join(",", a.Storage)}"))}" +
        $"|{Convert.ToHexString(c.BuildTransaction().Data)}|{c.Transaction.GasLimit}|{c.Transaction.Value}|{c.Transaction.Type}";

    [Fact]
    public void A_case_is_determined_by_seed_and_index()
    {
        for (long i = 0; i < 50; i++)
        {
            Assert.Equal(Fingerprint(CaseGenerator.Generate(42, i)), Fingerprint(CaseGenerator.Generate(42, i)));
            Assert.NotEqual(Fingerprint(CaseGenerator.Generate(42, i)), Fingerprint(CaseGenerator.Generate(43, i)));
        }
        Assert.NotEqual(Fingerprint(CaseGenerator.Generate(42, 0)), Fingerprint(CaseGenerator.Generate(42, 1)));
    }

    [Fact]
    public void Reused_programs_are_shared_within_a_family_and_inputs_vary()
    {
        var options = new CaseOptions { Reuse = 10 };
        var a = CaseGenerator.Generate(5, 20, options);
        var b = CaseGenerator.Generate(5, 29, options);
        var c = CaseGenerator.Generate(5, 30, options);
        Assert.Equal(Convert.ToHexString(a.Accounts[0].Code.Render()), Convert.ToHexString(b.Accounts[0].Code.Render()));
        Assert.NotEqual(Convert.ToHexString(a.Accounts[0].Code.Render()), Convert.ToHexString(c.Accounts[0].Code.Render()));
        Assert.NotEqual(Fingerprint(a), Fingerprint(b));
    }

    [Theory]
    [InlineData(Fork.Frontier)]
    [InlineData(Fork.Byzantium)]
    [InlineData(Fork.Cancun)]
    [InlineData(Fork.Osaka)]
    public void Every_opcode_of_the_fork_is_generated_and_no_other(Fork fork)
    {
        var seen = new HashSet<string>();
        var options = new CaseOptions { Fork = fork, RawPercent = 0 };
        for (long i = 0; i < 1500; i++)
        {
            var c = CaseGenerator.Generate(11, i, options);
            var programs = c.Accounts.Select(a => a.Code).ToList();
            if (c.Transaction.InitCode is { } init) programs.Add(init);
            foreach (var p in programs)
                foreach (var piece in p.Pieces)
                    if (piece.Kind.StartsWith("op:", StringComparison.Ordinal)) seen.Add(piece.Kind[3..]);
        }
        var expected = new HashSet<string>();
        for (int op = 0; op < 256; op++) if (OpcodeTable.IsDefined((byte)op, fork)) expected.Add(OpcodeTable.Name((byte)op));
        Assert.Empty(expected.Except(seen));
        Assert.Empty(seen.Except(expected));
    }

    [Fact]
    public void Structured_cases_are_mostly_valid_and_reach_many_outcomes()
    {
        var engine = Engines.Create(EngineKind.Interpreter);
        var statuses = new Dictionary<StatusCode, int>();
        int n = 300, invalidTx = 0;
        StateTestRunner.OnLargeStack(() =>
        {
            for (long i = 0; i < n; i++)
            {
                var o = FuzzOracle.Run(CaseGenerator.Generate(3, i), engine);
                Assert.Null(o.Crash);
                if (o.Invalid is not null) { invalidTx++; continue; }
                statuses[o.Status] = statuses.GetValueOrDefault(o.Status) + 1;
            }
            return 0;
        });
        Assert.Equal(0, invalidTx); // the transactions are built to be valid
        int ok = statuses.GetValueOrDefault(StatusCode.Success) + statuses.GetValueOrDefault(StatusCode.Revert);
        Assert.True(ok >= n * 4 / 10, $"only {ok} of {n} ended in success or revert: {string.Join(", ", statuses)}");
        // Failure paths are generated too.
        Assert.True(statuses.GetValueOrDefault(StatusCode.OutOfGas) > 0, string.Join(", ", statuses));
        Assert.True(statuses.Count >= 4, string.Join(", ", statuses));
    }

    [Fact]
    public void Shrinking_walks_down_to_a_small_program_that_keeps_the_property()
    {
        // The property "the target's code contains SAR" survives shrinking only with the SAR kept.
        static bool HasSar(FuzzCase c)
        {
            var code = c.Accounts[0].Code.Render();
            for (int pc = 0; pc < code.Length; pc += 1 + (OpcodeTable.Get(code[pc])?.ImmediateSize ?? 0))
                if (code[pc] == OpcodeTable.SAR) return true;
            return false;
        }
        FuzzCase? big = null;
        for (long i = 0; big is null; i++)
        {
            var c = CaseGenerator.Generate(9, i, new CaseOptions { Fork = Fork.Cancun, RawPercent = 0, MaxPieces = 30 });
            if (HasSar(c) && c.PieceCount >= 12) big = c;
        }
        foreach (var candidate in CaseShrinker.Shrink(big).Take(200))
            Assert.True(candidate.CodeSize <= big.CodeSize && candidate.Accounts.Count <= big.Accounts.Count);
        var small = CaseShrinker.Minimize(big, HasSar, budget: 5000);
        Assert.True(HasSar(small));
        Assert.Single(small.Accounts);
        Assert.True(small.Accounts[0].Code.Pieces.Count <= 2, small.Accounts[0].Code.ToString());
        Assert.True(small.CodeSize <= 4, Convert.ToHexString(small.Accounts[0].Code.Render())); // e.g. PUSH1 x SAR
    }

    [Fact]
    public void Labels_are_relocated_when_pieces_move()
    {
        // A loop piece works wherever it is placed: alone, after padding, or after removing what was before it.
        var loop = new Piece("loop", [0x60, 0x03, 0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x61, 0x00, 0x02, 0x57, 0x50], [9]);
        var pad = new Piece("pad", [0x5b, 0x5b, 0x5b]);
        foreach (var program in new[] { FuzzProgram.Of(loop), FuzzProgram.Of(pad, loop), FuzzProgram.Of(pad, pad, loop, pad) })
        {
            var code = program.Render();
            int at = program.Pieces.TakeWhile(p => p != loop).Sum(p => p.Code.Length);
            Assert.Equal(at + 2, (code[at + 9] << 8) | code[at + 10]);
            Assert.Equal(OpcodeTable.JUMPDEST, code[(code[at + 9] << 8) | code[at + 10]]);
        }
    }

    [Fact]
    public void The_observer_stores_the_output_hash_and_status()
    {
        // Target: returns the 32-byte word 0x2a.
        var ret = new Piece("ret", [0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
        var c = CaseGenerator.Generate(1, 0, new CaseOptions { Fork = Fork.Cancun }) is var g
            ? g with { Accounts = [g.Accounts[0] with { Code = FuzzProgram.Of(ret) }], Transaction = g.Transaction with { InitCode = null, Value = UInt256.Zero, GasLimit = 200_000 } }
            : null!;
        var wrapped = Observer.Wrap(c);
        var state = wrapped.PreState();
        var result = Jevm.State.TransactionProcessor.Execute(state, wrapped.BuildTransaction(), wrapped.Block(), wrapped.Fork, Engines.Create(EngineKind.Interpreter));
        Assert.Null(result.Error);
        var word = new byte[32];
        word[31] = 0x2a;
        Assert.Equal(UInt256.One, state.GetStorage(Observer.Address, UInt256.Zero));
        Assert.Equal(new UInt256(32), state.GetStorage(Observer.Address, UInt256.One));
        Assert.Equal(Keccak256.Compute(word).Word, state.GetStorage(Observer.Address, new UInt256(2)));
    }
}
