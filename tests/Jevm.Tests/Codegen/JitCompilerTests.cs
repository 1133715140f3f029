using System.Numerics;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Codegen;

/// <summary>Unit tests of the compiler's pieces: jump table, block gas charging, fallback, regions, cache, engines.</summary>
public class JitCompilerTests
{
    private static readonly JitEngine s_tiny = new(cache: new CompiledCodeCache(), options: new JitOptions
    {
        RegionIlBytes = 600, RegionIlInstructions = 300, RegionBasicBlocks = 40, RegionLocalRefs = 120,
    });

    [Fact]
    public void Dynamic_jump_table_reaches_every_jumpdest_and_rejects_the_rest()
    {
        // PUSH1 x; JUMP; then JUMPDESTs at 4, 6 and a PUSH1 0x5b whose immediate looks like a JUMPDEST (not one).
        // For each destination: jump there; a valid one returns its own pc, an invalid one fails.
        for (int dest = 0; dest < 16; dest++)
        {
            var code = Code.New.Push(dest).Op(JUMP)                 // 0..2
                .Op(JUMPDEST).Op(PC).Op(JUMPDEST).Op(PC)             // 3..6: JUMPDEST at 3 and 5
                .Push(0x5b)                                          // 7..8: 0x5b inside an immediate
                .Op(JUMPDEST).Op(PC)                                 // 9..10
                .Build();
            var r = Run(EngineKind.Jit, Fork.Cancun, code, gas: 1000);
            bool valid = dest is 3 or 5 or 9;
            Assert.Equal(valid ? StatusCode.Success : StatusCode.BadJumpDestination, r.Status);
            Assert.Equal(r.Status, Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 1000).Status);
        }
        // A destination above 2^64 is invalid, not truncated.
        var huge = Code.New.Push(new UInt256(3, 0, 1, 0)).Op(JUMP).Op(JUMPDEST).Build();
        Assert.Equal(StatusCode.BadJumpDestination, Run(EngineKind.Jit, Fork.Cancun, huge, gas: 1000).Status);
    }

    [Fact]
    public void A_function_returning_through_computed_jumps_runs_as_the_interpreter_runs_it()
    {
        // A function called twice that returns through a computed jump and halves its argument by a checked division
        // (the divisor on the stack across the JUMPI that skips INVALID): 0: PUSH1 7 (R1); PUSH1 0x40; PUSH1 0x17 (F);
        // JUMP; 7 R1: JUMPDEST; PUSH1 0x0e (R2); SWAP1; PUSH1 0x17; JUMP; 14 R2: JUMPDEST; PUSH1 0; MSTORE; PUSH1 0x20;
        // PUSH1 0; RETURN; 23 F: JUMPDEST; PUSH1 2; DUP1; PUSH1 0x1f (G); JUMPI; INVALID; 31 G: JUMPDEST; SWAP1; SDIV;
        // SWAP1; JUMP. Returns 0x40 / 2 / 2.
        var code = Convert.FromHexString("600760406017565b600e906017565b60005260206000f35b600280601f57fe5b90059056");
        var jit = Run(EngineKind.Jit, Fork.Cancun, code, gas: 1000);
        Assert.Equal(new UInt256(16), jit.Word());
        Assert.Equal(Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 1000).GasLeft, jit.GasLeft);
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 7)]
    public void A_block_both_fallen_into_and_reached_by_a_computed_jump_takes_what_the_jump_brings(bool jump, int expected)
    {
        // 0: PUSH1 7; PUSH1 0x0c (J); CALLDATASIZE; PUSH1 0x15 (K); JUMPI; POP; POP; PUSH1 5; 12 J: JUMPDEST; PUSH1 0;
        // MSTORE; RETURN(0, 32); 21 K: JUMPDEST; JUMP (computed: to J, with 7 on the stack). J is fallen into with 5.
        var code = Convert.FromHexString("6007600c3660155750506005" + "5b60005260206000f3" + "5b56");
        byte[] input = jump ? [1] : [];
        Assert.Equal(new UInt256((ulong)expected), Run(EngineKind.Jit, Fork.Cancun, code, gas: 1000, input: input).Word());
        Assert.Equal(new UInt256((ulong)expected), Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 1000, input: input).Word());
    }

    [Theory]
    [InlineData(7, false, null)]
    [InlineData(7, true, null)]
    [InlineData(-12345, false, null)]
    [InlineData(-12345, true, null)]
    [InlineData(0, false, new long[] { 1, 5, 9, 20 })]  // the copies of y differ, and 1 is not the constant 42
    [InlineData(0, false, new long[] { 42, 3, 9, 9 })]  // what A's jump would leave in form: copies equal, 42 where 42 is
    [InlineData(0, false, new long[] { 41, 3, 9, 9 })]  // copies equal, the constant's position differs
    [InlineData(0, false, new long[] { 42, 3, 9, 10 })] // the constant there, the copies differ
    public void Values_across_a_JUMPI_reach_both_successors_and_a_computed_jump_into_the_taken_one_brings_its_own(long xValue, bool taken, long[]? brought)
    {
        // 0: if input[0x40] → K. 6 A: PUSH1 42; x = input[0] + 1; y = x + 3; DUP1; if input[0x20] → T, with 42 x y y on
        // the stack. 0x19 B (no JUMPDEST: entered only by A's fall-through): returns y·y + x + 42. 0x24 T (entered by
        // A's JUMPI alone among static edges, and by K's computed jump with other values at the same positions — the
        // case a compiler keeping A's items in locals across the jump must get right, docs/codegen.md): returns
        // (top − second) + third + fourth = x + 42. 0x30 K: pushes input[0x80], input[0xa0], input[0xc0], input[0xe0]
        // (a, b, c, d) and jumps to input[0x60] (T): (d − c) + b + a. A's jump leaves y twice (one value in locals at two
        // positions) and the constant 42 at the fourth: what K brings there must be used, equal or not.
        var code = Convert.FromHexString(
            "604035603057" + "602a" + "600035600101" + "8060030180" + "602035602457"
            + "020101" + "600052" + "602060" + "00" + "f3"
            + "5b030101" + "600052" + "602060" + "00" + "f3"
            + "5b" + "608035" + "60a035" + "60c035" + "60e035" + "606035" + "56");
        var x = xValue < 0 ? (BigInteger.One << 255) + (-xValue) : new BigInteger(xValue);
        var input = new byte[256];
        Word(x).CopyTo(input, 0);
        if (taken) input[63] = 1;
        if (brought is not null)
        {
            input[95] = 1; input[127] = 0x24;
            for (int i = 0; i < 4; i++) Word(brought[i]).CopyTo(input, 0x80 + 32 * i);
        }
        var modulus = BigInteger.One << 256;
        var x1 = (x + 1) % modulus;
        var y = (x1 + 3) % modulus;
        var expected = brought is not null ? (brought[3] - brought[2] + brought[1] + brought[0] + modulus) % modulus
            : taken ? (x1 + 42) % modulus : (y * y + x1 + 42) % modulus;
        // The stack memory is reused between frames: fill it with other values first, so that an item read from a
        // position never written in this frame cannot happen to be right.
        var poison = Code.New.Push(0xee).Push(0xee).Push(0xee).Push(0xee).Push(0xee).Push(0xee).Push(0xee).Push(0xee).Build();
        Run(EngineKind.Interpreter, Fork.Cancun, poison, gas: 1000);
        Run(EngineKind.Jit, Fork.Cancun, poison, gas: 1000);
        var jit = Run(EngineKind.Jit, Fork.Cancun, code, gas: 1000, input: input);
        var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 1000, input: input);
        Assert.Equal(StatusCode.Success, jit.Status);
        Assert.Equal(Word(expected), jit.Output);
        Assert.Equal(interpreter.Output, jit.Output);
        Assert.Equal(interpreter.GasLeft, jit.GasLeft);

        static byte[] Word(BigInteger v) => v.ToByteArray(isUnsigned: true, isBigEndian: true) is var b && b.Length < 32
            ? [.. new byte[32 - b.Length], .. b] : b;
    }

    [Fact]
    public void Block_gas_is_charged_once_but_GAS_sees_the_exact_remaining_gas()
    {
        // PUSH1 1, POP, GAS, PUSH1 0, MSTORE, RETURN(0, 32): GAS runs after 3 + 2 + 2 (GAS itself) = 7 gas.
        var code = Code.New.Push(1).Op(POP).Op(GAS).Push(0).Op(MSTORE).Return(0, 32).Build();
        var r = Run(EngineKind.Jit, Fork.Cancun, code, gas: 10_000);
        Assert.Equal(new UInt256(10_000 - 7), r.Word());
        Assert.Equal(r.GasLeft, Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 10_000).GasLeft);
    }

    [Fact]
    public void Out_of_gas_inside_a_block_falls_back_and_fails_like_the_interpreter()
    {
        // The block needs 3 + 3 + 3 + 3 = 12 gas; with 11 it cannot be precharged, so the interpreter runs it and
        // fails at the last ADD. With 12 it succeeds.
        var code = Code.New.Push(1).Push(2).Op(ADD).Push(3).Build();
        Assert.Equal(StatusCode.OutOfGas, Run(EngineKind.Jit, Fork.Cancun, code, gas: 11).Status);
        var ok = Run(EngineKind.Jit, Fork.Cancun, code, gas: 12);
        Assert.Equal(StatusCode.Success, ok.Status);
        Assert.Equal(0, ok.GasLeft);
    }

    [Fact]
    public void Stack_underflow_at_block_entry_reports_underflow()
    {
        var code = Code.New.Push(1).Op(JUMPDEST).Op(ADD).Build();
        Assert.Equal(StatusCode.StackUnderflow, Run(EngineKind.Jit, Fork.Cancun, code).Status);
    }

    [Fact]
    public void A_24_KiB_contract_compiles_to_regions_under_the_MinOpts_thresholds()
    {
        // 24 KiB of arithmetic in long straight-line blocks and many small ones.
        var code = new ProgramGenerator(42).Build(3000);
        Array.Resize(ref code, Math.Min(code.Length, 24 * 1024));
        var compiled = JitCompiler.TryCompile(code, Fork.Cancun, out var reason);
        Assert.True(compiled is not null, reason);
        Assert.True(compiled!.FullyOptimized);
        foreach (var r in compiled.RegionFigures)
        {
            Assert.True(r.IlBytes < 60_000 && r.IlInstructions < 20_000 && r.IlBasicBlocks < 2_000 && r.LocalRefs < 8_000, r.ToString());
        }
    }

    /// <summary>
    /// A chain of <paramref name="n"/> blocks (JUMPDEST, add one, static JUMP to the next) placed in the code in a shuffled
    /// order, entered from block 0 and ending in a block that returns the count; <paramref name="chain"/> is the order
    /// the blocks run in, as block indices (block 0 is the entry, block k + 1 the k-th placed, block n + 1 the end).
    /// </summary>
    private static byte[] ShuffledChain(int n, int seed, out int[] chain)
    {
        var slots = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(slots);
        static int PcOf(int slot) => 6 + 8 * slot;
        var next = new int[n];
        for (int i = 0; i < n; i++) next[slots[i]] = i + 1 < n ? PcOf(slots[i + 1]) : PcOf(n);
        var c = Code.New.Push(0).PushN(2, new UInt256((ulong)PcOf(slots[0]))).Op(JUMP);
        for (int k = 0; k < n; k++) c.Op(JUMPDEST).Push(1).Op(ADD).PushN(2, new UInt256((ulong)next[k])).Op(JUMP);
        var code = c.Op(JUMPDEST).ReturnTop().Build();
        chain = [0, .. slots.Select(k => k + 1), n + 1];
        return code;
    }

    [Fact]
    public void Blocks_are_laid_out_along_static_jumps_so_a_chain_shares_regions()
    {
        var code = ShuffledChain(300, seed: 7, out var chain);
        var fn = JitCompiler.BuildIr(BytecodeAnalysis.Analyze(code, Fork.Cancun));
        Assert.Equal(chain, JitCompiler.Layout(fn));
        // Run through small regions and the default ones, it agrees with the interpreter.
        var expected = Run(EngineKind.Interpreter, Fork.Cancun, code, 1_000_000);
        Assert.Equal(new UInt256(300), expected.Word());
        foreach (var r in new[] { new TestHost(s_tiny, Fork.Cancun).Run(code, 1_000_000), Run(EngineKind.Jit, Fork.Cancun, code, 1_000_000) })
        {
            Assert.Equal(expected.Output, r.Output);
            Assert.Equal(expected.GasLeft, r.GasLeft);
        }
    }

    [Fact]
    public void A_region_is_cut_where_the_fewest_static_edges_cross()
    {
        // Segments 0..11; a loop from 5 to 9 (its backward edge 9 → 5), forward edges 2 → 3 and 9 → 10.
        var edges = new List<(int, int, int)> { (2, 3, 1), (5, 9, 8), (9, 10, 1) };
        // The limits would end the region inside the loop (at 8): it ends before the loop instead.
        Assert.Equal(5, JitCompiler.CheapestCut(edges, first: 0, low: 4, high: 8));
        // Ending after the loop crosses only 9 → 10, the cheapest of the cuts from 6 on.
        Assert.Equal(11, JitCompiler.CheapestCut(edges, first: 0, low: 6, high: 11));
        Assert.Equal(10, JitCompiler.CheapestCut(edges, first: 0, low: 6, high: 10));
        // Nothing crosses: the region is as long as the limits allow.
        Assert.Equal(8, JitCompiler.CheapestCut([], first: 0, low: 4, high: 8));
        // Edges from earlier regions do not count.
        Assert.Equal(8, JitCompiler.CheapestCut([(1, 7, 8)], first: 3, low: 4, high: 8));
    }

    [Fact]
    public void Regions_cover_every_segment_in_order_and_agree_with_the_interpreter()
    {
        var tiny = new JitOptions { RegionIlBytes = 3000, RegionIlInstructions = 1200, RegionBasicBlocks = 60, RegionLocalRefs = 500 };
        for (int seed = 0; seed < 12; seed++)
        {
            var code = new ProgramGenerator(seed).Build(300 + 60 * seed);
            var compiled = JitCompiler.TryCompile(code, Fork.Cancun, out var reason, tiny);
            Assert.True(compiled is not null, reason);
            var regionOf = compiled!.RegionOfBlock;
            Assert.Equal(0, regionOf[0]);
            for (int s = 1; s < regionOf.Length; s++) Assert.InRange(regionOf[s] - regionOf[s - 1], 0, 1);
            Assert.Equal(compiled.Stats.Length, regionOf[^1] + 1);
            var engine = new JitEngine(cache: new CompiledCodeCache(), options: tiny);
            var expected = Run(EngineKind.Interpreter, Fork.Cancun, code, 1_000_000);
            var r = new TestHost(engine, Fork.Cancun).Run(code, 1_000_000);
            Assert.Equal(expected.Status, r.Status);
            Assert.Equal(expected.Output, r.Output);
            Assert.Equal(expected.GasLeft, r.GasLeft);
        }
    }

    [Fact]
    public void The_layout_places_every_block_once_starting_with_the_entry()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var code = new ProgramGenerator(seed).Build(200 + 50 * seed);
            var fn = JitCompiler.BuildIr(BytecodeAnalysis.Analyze(code, Fork.Cancun));
            var order = JitCompiler.Layout(fn);
            Assert.Equal(0, order[0]);
            Assert.Equal(Enumerable.Range(0, fn.Blocks.Count), order.Order());
        }
    }

    [Fact]
    public void One_huge_block_is_cut_into_segments_and_still_agrees()
    {
        // 3000 ADDs in one block: too large for one method with tiny regions. The first operand is not a constant
        // (CALLDATASIZE, 0 here), so the compiler cannot fold the sum away.
        var c = Code.New.Op(CALLDATASIZE);
        for (int i = 0; i < 3000; i++) c.Push(i).Op(ADD);
        var code = c.ReturnTop().Build();
        var compiled = JitCompiler.TryCompile(code, Fork.Cancun, out _, new JitOptions { RegionIlBytes = 600, RegionIlInstructions = 300, RegionBasicBlocks = 40, RegionLocalRefs = 120 });
        Assert.NotNull(compiled);
        Assert.True(compiled!.SegmentCount > 10);
        var expected = new UInt256(2999UL * 3000 / 2);
        var host = new TestHost(s_tiny, Fork.Cancun);
        var r = host.Run(code, 100_000);
        Assert.Equal(expected, r.Word());
        Assert.Equal(Run(EngineKind.Interpreter, Fork.Cancun, code, 100_000).GasLeft, r.GasLeft);
    }

    [Fact]
    public void Constants_on_the_stack_where_a_block_is_cut_stay_right_in_later_segments()
    {
        // Constants pushed at the start of one long block, then used (through DUPs, SWAPs and as shift amounts and
        // SIGNEXTEND indices, which have inline forms for constants only) thousands of instructions later, in other
        // segments: a continuation segment starts knowing them as constants.
        var c = Code.New.Push(3).Push(0x80).Push(7).Op(CALLDATASIZE);
        for (int i = 0; i < 600; i++)
            c.Op((byte)(DUP1 + 1)).Op(ADD).Op((byte)(DUP1 + 2)).Op(SWAP1).Op(SHL).Op((byte)(DUP1 + 3)).Op(SIGNEXTEND).Op((byte)(DUP1 + 2)).Op(XOR);
        var code = c.ReturnTop().Build();
        var compiled = JitCompiler.TryCompile(code, Fork.Cancun, out _, new JitOptions { RegionIlBytes = 600, RegionIlInstructions = 300, RegionBasicBlocks = 40, RegionLocalRefs = 120 });
        Assert.NotNull(compiled);
        Assert.True(compiled!.SegmentCount > 10);
        foreach (var input in new[] { Array.Empty<byte>(), new byte[5], new byte[40] })
        {
            var r = new TestHost(s_tiny, Fork.Cancun).Run(code, 1_000_000, input: input);
            var expected = Run(EngineKind.Interpreter, Fork.Cancun, code, 1_000_000, input: input);
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.Equal(expected.Output, r.Output);
            Assert.Equal(expected.GasLeft, r.GasLeft);
        }
    }

    [Fact]
    public void Cache_returns_the_same_compiled_code_and_evicts_when_full()
    {
        var cache = new CompiledCodeCache(maxEntries: 4);
        var codes = Enumerable.Range(1, 10).Select(i => (byte[])Code.New.Push(i).Op(POP)).ToArray();
        var hash = Jevm.Crypto.Keccak256.Compute(codes[0]);
        var first = cache.GetOrCompile(codes[0], hash, Fork.Cancun);
        Assert.Same(first, cache.GetOrCompile(codes[0], hash, Fork.Cancun));
        Assert.Null(cache.TryGet(hash, Fork.Prague)); // keyed by fork too
        foreach (var code in codes) cache.GetOrCompile(code, Jevm.Crypto.Keccak256.Compute(code), Fork.Cancun);
        Assert.True(cache.Count <= 4);
    }

    [Fact]
    public void Uncompilable_code_reports_why_and_runs_in_the_interpreter()
    {
        var tooLong = new byte[70_000];
        Assert.Null(JitCompiler.TryCompile(tooLong, Fork.Cancun, out var reason));
        Assert.Contains("exceeds", reason);
        Assert.Equal(StatusCode.Success, Run(EngineKind.Jit, Fork.Cancun, tooLong, gas: 1000).Status);
    }

    [Fact]
    public void Tiering_policy_compiles_a_code_once_its_interpreted_time_is_twice_its_estimated_compile_time()
    {
        var policy = TieringPolicy.Default;
        var compile = TimeSpan.FromMilliseconds(30);
        // However many calls that takes, by time spent.
        Assert.False(policy.IsHot(1_000_000, TimeSpan.FromMilliseconds(59.9), compile));
        Assert.True(policy.IsHot(1, TimeSpan.FromMilliseconds(60), compile));
        // By count only when asked; never when asked.
        Assert.True(new TieringPolicy { HotExecutions = 8 }.IsHot(8, TimeSpan.Zero, compile));
        Assert.False(new TieringPolicy { HotExecutions = 8 }.IsHot(7, TimeSpan.Zero, compile));
        Assert.False(TieringPolicy.Never.IsHot(int.MaxValue, TimeSpan.MaxValue, compile));
        Assert.True(new TieringPolicy { CompileTimeMultiple = 0 }.IsHot(1, TimeSpan.Zero, compile));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TieringPolicy { CompileTimeMultiple = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TieringPolicy { CompileTimeMultiple = -1 });

        var cache = new CompiledCodeCache();
        var engine = new JitEngine(tiered: true, cache: cache);
        // The estimate grows with the code's length.
        Assert.True(engine.EstimatedCompileTime(10_000) > engine.EstimatedCompileTime(100));
        // A cheap code called a few times stays interpreted...
        var cheap = Code.New.Push(7).Push(8).Op(MUL).ReturnTop().Build();
        var cheapHash = Jevm.Crypto.Keccak256.Compute(cheap);
        for (int i = 0; i < 50; i++) Assert.Equal(new UInt256(56), new TestHost(engine, Fork.Cancun).Run(cheap).Word());
        Thread.Sleep(50);
        Assert.True(engine.CountedTime(cheapHash, Fork.Cancun) < 2 * engine.EstimatedCompileTime(cheap.Length), "50 calls of a 4-instruction code took as long as compiling it twice");
        Assert.Null(cache.TryGet(cheapHash, Fork.Cancun));
        // ...a loop that runs longer than twice the estimate in one call is compiled (in the background) after it.
        var loop = Code.New.PushN(3, new UInt256(1_000_000)).Op(JUMPDEST).Push(1).Op(SWAP1).Op(SUB).Op(DUP1).Push(4).Op(JUMPI).ReturnTop().Build(); // JUMPDEST at 4
        var hash = Jevm.Crypto.Keccak256.Compute(loop);
        var result = new TestHost(engine, Fork.Cancun).Run(loop, 100_000_000);
        Assert.Equal(StatusCode.Success, result.Status);
        Assert.True(100_000_000 - result.GasLeft > 20_000_000, "the loop should have run a million rounds");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (cache.TryGet(hash, Fork.Cancun) is null && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.NotNull(cache.TryGet(hash, Fork.Cancun)?.Code);
    }

    [Fact]
    public void Tiered_engine_counts_a_recursive_call_chains_gas_and_time_once_per_frame()
    {
        // n = CALLDATALOAD(0); if n != 0: CALL itself with all gas and calldata n − 1. Every frame spends a little gas of
        // its own, but its total includes all deeper frames'; counting totals made a deep chain hot at once.
        byte[] code =
        [
            0x60, 0x00, 0x35, 0x80, 0x15, 0x60, 0x1d, 0x57,             // n; ISZERO; JUMPI end
            0x60, 0x01, 0x90, 0x03, 0x60, 0x00, 0x52,                   // MSTORE(0, n − 1)
            0x60, 0x00, 0x60, 0x00, 0x60, 0x20, 0x60, 0x00, 0x60, 0x00, // ret 0/0, args 0/32, value 0
            0x30, 0x5a, 0xf1, 0x50,                                     // CALL(GAS, ADDRESS, …); POP
            0x5b, 0x00,                                                 // end: JUMPDEST STOP
        ];
        var hash = Jevm.Crypto.Keccak256.Compute(code);
        // Every execution timed (SampleGas 0), so that the time attribution is tested as well as the gas.
        var engine = new JitEngine(tiered: true, cache: new CompiledCodeCache(), tiering: TieringPolicy.Never) { SampleGas = 0 };
        var input = new byte[32];
        input[31] = 60;
        const long gas = 1_000_000;
        // The same chain once on another engine first, so that the timed call is not the process's first (whose one-time
        // costs would sit outside every frame's time).
        Assert.Equal(StatusCode.Success, new TestHost(new JitEngine(tiered: true, cache: new CompiledCodeCache(), tiering: TieringPolicy.Never), Fork.Cancun).Run(code, gas, input: input).Status);
        var host = new TestHost(engine, Fork.Cancun);
        long begin = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = host.Run(code, gas, input: input);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(begin);
        Assert.Equal(StatusCode.Success, result.Status);
        // All 61 frames run this code, so their own gas adds up to exactly what the outermost call spent...
        Assert.Equal(gas - result.GasLeft, engine.CountedGas(hash, Fork.Cancun));
        // ...and their time, each frame's share by gas of its own and its nested frames' time, to about what the whole
        // call took (crediting each frame with its whole subtree's time would give about 30 times that).
        var counted = engine.CountedTime(hash, Fork.Cancun);
        Assert.True(counted > TimeSpan.Zero && counted <= 2 * elapsed, $"counted {counted.TotalMicroseconds} µs of a {elapsed.TotalMicroseconds} µs call");
    }

    [Fact]
    public void Tiered_engine_runs_code_compiled_by_another_engine_sharing_its_cache_at_the_next_call()
    {
        // The engine remembers the last code it ran on this thread; that memory must not outlive a change of the cache.
        var cache = new CompiledCodeCache();
        var tiered = new JitEngine(tiered: true, cache: cache, tiering: TieringPolicy.Never);
        var code = Code.New.Push(7).Push(8).Op(MUL).ReturnTop().Build();
        var hash = Jevm.Crypto.Keccak256.Compute(code);
        for (int i = 0; i < 2; i++) Assert.Equal(new UInt256(56), new TestHost(tiered, Fork.Cancun).Run(code).Word());
        long counted = tiered.CountedGas(hash, Fork.Cancun);
        Assert.True(counted > 0);
        // Another engine compiles the code into the shared cache, on another thread (this thread's memory of the last
        // code stays the tiered engine's); the tiered one then runs it compiled, uncounted.
        UInt256 word = default;
        var other = new Thread(() => word = new TestHost(new JitEngine(cache: cache), Fork.Cancun).Run(code).Word());
        other.Start();
        other.Join();
        Assert.Equal(new UInt256(56), word);
        Assert.NotNull(cache.TryGet(hash, Fork.Cancun)?.Code);
        Assert.Equal(new UInt256(56), new TestHost(tiered, Fork.Cancun).Run(code).Word());
        Assert.Equal(counted, tiered.CountedGas(hash, Fork.Cancun));
    }

    [Fact]
    public void Tiered_engines_on_one_thread_count_each_its_own_executions()
    {
        var code = Code.New.Push(7).Push(8).Op(MUL).ReturnTop().Build();
        var hash = Jevm.Crypto.Keccak256.Compute(code);
        var first = new JitEngine(tiered: true, cache: new CompiledCodeCache(), tiering: TieringPolicy.Never);
        var second = new JitEngine(tiered: true, cache: new CompiledCodeCache(), tiering: TieringPolicy.Never);
        Assert.Equal(new UInt256(56), new TestHost(first, Fork.Cancun).Run(code).Word());
        long once = first.CountedGas(hash, Fork.Cancun);
        Assert.Equal(new UInt256(56), new TestHost(second, Fork.Cancun).Run(code).Word());
        Assert.Equal(new UInt256(56), new TestHost(first, Fork.Cancun).Run(code).Word());
        Assert.Equal(once, second.CountedGas(hash, Fork.Cancun));
        Assert.Equal(2 * once, first.CountedGas(hash, Fork.Cancun));
    }

    [Fact]
    public void Tiered_engine_switches_to_compiled_code_once_hot()
    {
        var cache = new CompiledCodeCache();
        var tiering = new TieringPolicy { HotExecutions = 8 };
        var engine = new JitEngine(tiered: true, cache: cache, tiering: tiering);
        var code = Code.New.Push(7).Push(8).Op(MUL).ReturnTop().Build();
        var hash = Jevm.Crypto.Keccak256.Compute(code);
        for (int i = 0; i < tiering.HotExecutions; i++)
            Assert.Equal(new UInt256(56), new TestHost(engine, Fork.Cancun).Run(code).Word());
        // Compilation runs in the background: wait for it, then the next call runs compiled code.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (cache.TryGet(hash, Fork.Cancun) is null && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.NotNull(cache.TryGet(hash, Fork.Cancun)?.Code);
        Assert.Equal(new UInt256(56), new TestHost(engine, Fork.Cancun).Run(code).Word());
    }
}

/// <summary>
/// Every contract of the official GeneralStateTests compiles, for Cancun, with every region method under RyuJIT's MinOpts
/// thresholds as the compiler counts them (so the .NET JIT optimises all of it). The compiler sizes regions from a
/// metering pass; a metering that undercounts (a segment's own label was once missed) makes regions too large.
/// </summary>
public class CorpusCompilationTests
{
    [Fact]
    public void Every_state_test_contract_compiles_to_optimisable_regions()
    {
        var codes = Jevm.Tests.Ir.StateTestCorpusTests.AllCodes(EthTests.Require("GeneralStateTests"));
        Assert.True(codes.Count > 1000, $"only {codes.Count} codes found");
        var failures = new List<string>();
        foreach (var code in codes)
        {
            if (code.Length == 0) continue;
            var compiled = JitCompiler.TryCompile(code, Fork.Cancun, out var reason);
            if (compiled is null) { failures.Add($"{code.Length} B: {reason}"); continue; }
            foreach (var r in compiled.RegionFigures)
                if (!r.UnderMinOptsThresholds) failures.Add($"{code.Length} B: {r}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }
}
