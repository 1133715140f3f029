using System.Numerics;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Cli.Bench.Programs;

/// <summary>
/// Benchmark programs written for Jevm with <see cref="Asm"/> (no third-party bytecode). Each is runtime code plus an
/// ABI-style calldata of 32-byte words; every program returns one 32-byte word. The default sizes keep each execution
/// in the tens of milliseconds on the interpreter, so that `jevm bench` with no arguments takes about a minute.
/// </summary>
internal static class EmbeddedPrograms
{
    /// <summary>The arithmetic loop's multiplier (the 64-bit golden-ratio constant).</summary>
    public const ulong ArithmeticMultiplier = 0x9e3779b97f4a7c15UL;
    /// <summary>The arithmetic loop's MULMOD modulus: the secp256k1 field prime.</summary>
    public static readonly BigInteger ArithmeticModulus = BigInteger.Parse("115792089237316195423570985008687907853269984665640564039457584007908834671663");

    /// <summary>Words the keccak loop's window cycles through (the buffer grows to this many words plus one).</summary>
    public const int KeccakWindowWords = 128;

    /// <summary>The memory copy loop's buffer: 32 KiB, copied into a second 32 KiB region.</summary>
    public const int MemoryBufferBytes = 32 * 1024;
    /// <summary>The constant the memory buffer's words are initialised with (word j = j × K + 1).</summary>
    public const ulong MemoryInitMultiplier = 0x0123456789abcdefUL;

    /// <summary>The constant slot values are made of (slot i = i × K + 1).</summary>
    public const ulong StorageMultiplier = 0x9e3779b97f4a7c15UL;

    /// <summary>The token's initial supply minted to the caller by <c>run(uint256)</c>: 10^24.</summary>
    public static readonly BigInteger TokenSupply = BigInteger.Pow(10, 24);
    /// <summary>The first of the 64 recipient addresses the token run transfers to (0x1000…0x103f).</summary>
    public const ulong TokenFirstRecipient = 0x1000;
    /// <summary>How many distinct recipients the token run cycles through.</summary>
    public const int TokenRecipients = 64;

    /// <summary>The six programs with their default sizes, in a stable order.</summary>
    public static IReadOnlyList<BenchCase> All { get; } =
    [
        Arithmetic(20_000),
        KeccakChain(800),
        MemoryCopy(100),
        StorageSlots(1_000),
        TokenTransfers(1_000),
        Recursion(64, 40),
    ];

    /// <summary>Calldata of 32-byte big-endian words.</summary>
    public static byte[] Words(params BigInteger[] words)
    {
        var data = new byte[32 * words.Length];
        for (int i = 0; i < words.Length; i++) UInt256.FromBigInteger(words[i]).WriteBigEndian(data.AsSpan(32 * i, 32));
        return data;
    }

    /// <summary>Appends "return the word on top of the stack".</summary>
    private static Asm ReturnTop(this Asm a) => a.Push(0).Op("MSTORE").Push(32).Push(0).Op("RETURN");

    /// <summary>Appends "stack: ... limit i → jump to <paramref name="exit"/> unless i &lt; limit" for a counter on top and its limit just below.</summary>
    private static Asm ExitUnlessBelow(this Asm a, string exit) => a.Op("DUP2 DUP2 LT ISZERO").JumpIf(exit);

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Arithmetic loop. Calldata (n, x0). For i = 0 … n−1: x = x·K + i; x = x − x/7; x = x + (x·x mod P);
    /// x = x + x³ (all mod 2^256; K = <see cref="ArithmeticMultiplier"/>, P = <see cref="ArithmeticModulus"/>).
    /// Returns x. Exercises MUL, ADD, DIV, SUB, MULMOD and EXP.
    /// </summary>
    public static byte[] ArithmeticCode() => new Asm()
        .Push(0).Op("CALLDATALOAD").Push(0).Push(32).Op("CALLDATALOAD")   // n i x
        .Label("loop")
        .Op("DUP3 DUP3 LT ISZERO").JumpIf("end")
        .Push(ArithmeticMultiplier).Op("MUL DUP2 ADD")                     // x = x*K + i
        .Op("DUP1").Push(7).Op("SWAP1 DIV SWAP1 SUB")                      // x = x - x/7
        .Push(ArithmeticModulus).Op("DUP2 DUP3 MULMOD ADD")                // x = x + x*x mod P
        .Push(3).Op("DUP2 EXP ADD")                                        // x = x + x^3
        .Op("SWAP1").Push(1).Op("ADD SWAP1")                               // i++
        .Jump("loop")
        .Label("end")
        .ReturnTop()
        .Build();

    /// <summary>The arithmetic loop for <paramref name="n"/> iterations from a fixed seed.</summary>
    public static BenchCase Arithmetic(int n, ulong seed = 0x5eed) => new("jevm/arithmetic", ArithmeticCode(), Words(n, seed))
    {
        Description = $"{n} rounds of MUL/ADD/DIV/SUB/MULMOD/EXP on one 256-bit value",
    };

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Keccak loop over a growing buffer. Calldata (n, seed). Memory word 0 = seed; for i = 0 … n−1: with
    /// w = 1 + (i mod 128) words, h = keccak256(memory[0, 32w)), then memory word w = h (so the hashed buffer grows by
    /// one word per round, up to 128 words, then starts again from one word over the words written so far). Returns the
    /// last h (0 when n = 0).
    /// </summary>
    public static byte[] KeccakChainCode() => new Asm()
        .Push(32).Op("CALLDATALOAD").Push(0).Op("MSTORE")                 // memory word 0 = seed
        .Push(0).Op("CALLDATALOAD").Push(0).Push(0)                        // n i h
        .Label("loop")
        .Op("DUP3 DUP3 LT ISZERO").JumpIf("end")
        .Op("POP DUP1").Push(KeccakWindowWords - 1).Op("AND").Push(1).Op("ADD").Push(32).Op("MUL") // n i len
        .Op("DUP1").Push(0).Op("KECCAK256")                                // n i len h
        .Op("DUP1 SWAP2 MSTORE")                                           // memory[len] = h → n i h
        .Op("SWAP1").Push(1).Op("ADD SWAP1")
        .Jump("loop")
        .Label("end")
        .ReturnTop()
        .Build();

    /// <summary>The keccak loop for <paramref name="n"/> rounds.</summary>
    public static BenchCase KeccakChain(int n, ulong seed = 0xc0ffee) => new("jevm/keccak-chain", KeccakChainCode(), Words(n, seed))
    {
        Description = $"{n} KECCAK256 of a buffer growing from 1 to {KeccakWindowWords} words",
    };

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Memory copy loop (needs Cancun: MCOPY). Calldata (n). Region A = memory[0, 32 KiB), region B = memory[32 KiB,
    /// 64 KiB). A's word j starts as j·K + 1 (K = <see cref="MemoryInitMultiplier"/>). Each round r = 0 … n−1:
    /// MCOPY(B, 1 + (r mod 32), 32 KiB − 32), then for every word j of A: A[j] = B[j] + r (MLOAD, ADD, MSTORE).
    /// Returns keccak256(A).
    /// </summary>
    public static byte[] MemoryCopyCode() => new Asm()
        .Push(1024).Push(0)                                               // limit j
        .Label("init")
        .ExitUnlessBelow("initdone")
        .Op("DUP1").Push(MemoryInitMultiplier).Op("MUL").Push(1).Op("ADD") // limit j v
        .Op("DUP2").Push(32).Op("MUL MSTORE")
        .Push(1).Op("ADD")
        .Jump("init")
        .Label("initdone")
        .Op("POP POP")
        .Push(0).Op("CALLDATALOAD").Push(0)                               // n r
        .Label("round")
        .ExitUnlessBelow("end")
        .Push(MemoryBufferBytes - 32).Op("DUP2").Push(31).Op("AND").Push(1).Op("ADD").Push(MemoryBufferBytes).Op("MCOPY")
        .Push(1024).Push(0)                                               // n r limit j
        .Label("words")
        .ExitUnlessBelow("wordsdone")
        .Op("DUP1").Push(32).Op("MUL")                                     // n r limit j off
        .Op("DUP1").Push(MemoryBufferBytes).Op("ADD MLOAD")                // n r limit j off b
        .Op("DUP5 ADD SWAP1 MSTORE")                                       // A[j] = b + r
        .Push(1).Op("ADD")
        .Jump("words")
        .Label("wordsdone")
        .Op("POP POP")
        .Push(1).Op("ADD")
        .Jump("round")
        .Label("end")
        .Push(MemoryBufferBytes).Push(0).Op("KECCAK256")
        .ReturnTop()
        .Build();

    /// <summary>The memory copy loop for <paramref name="n"/> rounds.</summary>
    public static BenchCase MemoryCopy(int n) => new("jevm/memory-copy", MemoryCopyCode(), Words(n))
    {
        Description = $"{n} rounds of MCOPY + 1,024 MLOAD/MSTORE over 32 KiB",
        MinFork = Fork.Cancun,
    };

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Storage loop. Calldata (n). Writes slot i = i·K + 1 for i = 0 … n−1 (K = <see cref="StorageMultiplier"/>),
    /// sums every slot with SLOAD, then clears the even slots (SSTORE 0, which earns refunds). Returns the sum mod 2^256.
    /// </summary>
    public static byte[] StorageSlotsCode() => new Asm()
        .Push(0).Op("CALLDATALOAD").Push(0)                               // n i
        .Label("write")
        .ExitUnlessBelow("written")
        .Op("DUP1").Push(StorageMultiplier).Op("MUL").Push(1).Op("ADD")    // n i v
        .Op("DUP2 SSTORE")
        .Push(1).Op("ADD")
        .Jump("write")
        .Label("written")
        .Op("POP").Push(0).Push(0)                                         // n s i
        .Label("read")
        .Op("DUP3 DUP2 LT ISZERO").JumpIf("summed")
        .Op("DUP1 SLOAD DUP3 ADD SWAP2 POP")                               // s += slot[i]
        .Push(1).Op("ADD")
        .Jump("read")
        .Label("summed")
        .Op("POP").Push(0)                                                 // n s i
        .Label("clear")
        .Op("DUP3 DUP2 LT ISZERO").JumpIf("end")
        .Push(0).Op("DUP2 SSTORE")
        .Push(2).Op("ADD")
        .Jump("clear")
        .Label("end")
        .Op("POP")
        .ReturnTop()
        .Build();

    /// <summary>The storage loop over <paramref name="n"/> slots.</summary>
    public static BenchCase StorageSlots(int n) => new("jevm/storage", StorageSlotsCode(), Words(n))
    {
        Description = $"SSTORE {n} fresh slots, SLOAD them all, clear half",
    };

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>The 4-byte selector of a Solidity function signature.</summary>
    public static uint Selector(string signature)
    {
        var h = Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(signature)).ToBytes();
        return (uint)(h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3]);
    }

    /// <summary>ABI calldata: a selector and 32-byte words.</summary>
    public static byte[] Call(string signature, params BigInteger[] words)
    {
        var data = new byte[4 + 32 * words.Length];
        uint sel = Selector(signature);
        data[0] = (byte)(sel >> 24); data[1] = (byte)(sel >> 16); data[2] = (byte)(sel >> 8); data[3] = (byte)sel;
        Words(words).CopyTo(data, 4);
        return data;
    }

    /// <summary>Stack: … addr → … slot, the balance slot of addr: keccak256(pad32(addr) ‖ pad32(0)) (a Solidity mapping at slot 0).</summary>
    private static Asm BalanceSlot(this Asm a) => a
        .Push(0).Op("MSTORE").Push(0).Push(32).Op("MSTORE").Push(64).Push(0).Op("KECCAK256");

    /// <summary>
    /// Stack: … from to amount → … ok. Moves amount from from's balance to to's and logs Transfer(from, to, amount);
    /// ok = 0 (and nothing changes) when from's balance is too small.
    /// </summary>
    private static Asm TransferMacro(this Asm a)
    {
        string insufficient = a.NewLabel("insufficient"), done = a.NewLabel("done");
        var topic = Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes("Transfer(address,address,uint256)")).ToBytes();
        return a
            .Op("DUP3").BalanceSlot()                                      // from to amt sf
            .Op("DUP1 SLOAD")                                              // from to amt sf bf
            .Op("DUP3 DUP2 LT").JumpIf(insufficient)                       // bf < amt
            .Op("DUP3 SWAP1 SUB SWAP1 SSTORE")                             // balance[from] = bf - amt
            .Op("DUP2").BalanceSlot()                                      // from to amt st
            .Op("DUP1 SLOAD DUP3 ADD SWAP1 SSTORE")                        // balance[to] += amt
            .Op("DUP1").Push(64).Op("MSTORE")                              // memory[64] = amt
            .Op("DUP2 DUP4").PushBytes(topic).Push(32).Push(64).Op("LOG3")
            .Op("POP POP POP").Push(1).Jump(done)
            .Label(insufficient)
            .Op("POP POP POP POP POP").Push(0)
            .Label(done);
    }

    /// <summary>
    /// A small token: balances in a mapping at slot 0 (keccak slots), dispatched on the calldata's selector:
    /// <c>mint(address,uint256)</c> adds to a balance (no access control: a benchmark), <c>transfer(address,uint256)</c>
    /// moves the caller's tokens (reverts when short, returns 1), <c>balanceOf(address)</c>, and <c>run(uint256 n)</c>,
    /// which mints <see cref="TokenSupply"/> to the caller and makes n transfers from the caller, transfer i sending
    /// i + 1 tokens to address 0x1000 + (i mod 64), and returns the caller's balance. Every transfer logs
    /// Transfer(from, to, amount). Unknown selectors revert.
    /// </summary>
    public static byte[] TokenCode()
    {
        var a = new Asm();
        a.Push(0).Op("CALLDATALOAD").Push(224).Op("SHR");                 // selector (needs Constantinople)
        foreach (var (sig, label) in new[] { ("transfer(address,uint256)", "transfer"), ("balanceOf(address)", "balanceOf"), ("mint(address,uint256)", "mint"), ("run(uint256)", "run") })
            a.Op("DUP1").Push(Selector(sig)).Op("EQ").JumpIf(label);
        a.Label("revert").Push(0).Push(0).Op("REVERT");

        a.Label("transfer")
            .Op("CALLER").Push(4).Op("CALLDATALOAD").Push(36).Op("CALLDATALOAD")
            .TransferMacro()
            .Op("ISZERO").JumpIf("revert")
            .Push(1).ReturnTop();

        a.Label("balanceOf")
            .Push(4).Op("CALLDATALOAD").BalanceSlot().Op("SLOAD").ReturnTop();

        a.Label("mint")
            .Push(4).Op("CALLDATALOAD").BalanceSlot()
            .Op("DUP1 SLOAD").Push(36).Op("CALLDATALOAD ADD SWAP1 SSTORE STOP");

        a.Label("run")
            .Op("CALLER").BalanceSlot().Op("DUP1 SLOAD").Push(TokenSupply).Op("ADD SWAP1 SSTORE")
            .Push(4).Op("CALLDATALOAD").Push(0)                            // n i
            .Label("loop")
            .ExitUnlessBelow("ran")
            .Op("CALLER DUP2").Push(TokenRecipients - 1).Op("AND").Push(TokenFirstRecipient).Op("ADD") // n i from to
            .Op("DUP3").Push(1).Op("ADD")                                   // n i from to amt
            .TransferMacro()
            .Op("ISZERO").JumpIf("revert")
            .Push(1).Op("ADD")
            .Jump("loop")
            .Label("ran")
            .Op("CALLER").BalanceSlot().Op("SLOAD").ReturnTop();
        return a.Build();
    }

    /// <summary>The token's <c>run(n)</c>: mint, then <paramref name="n"/> transfers.</summary>
    public static BenchCase TokenTransfers(int n) => new("jevm/token", TokenCode(), Call("run(uint256)", n))
    {
        Description = $"token contract: mint, then {n} transfers (keccak slots, SLOAD/SSTORE, LOG3)",
        MinFork = Fork.Constantinople,
    };

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Stack: … d → … f(d), calling this same contract with calldata (d, 1); reverts when the call fails.</summary>
    private static Asm CallSelf(this Asm a) => a
        .Push(0).Op("MSTORE").Push(1).Push(32).Op("MSTORE")                // memory = (d, 1)
        .Push(32).Push(0).Push(64).Push(0).Push(0).Op("ADDRESS GAS CALL")
        .Op("ISZERO").JumpIf("revert")
        .Push(0).Op("MLOAD");

    /// <summary>
    /// Call-heavy recursion. Calldata (d, r). With r ≤ 1 it returns f(d) = d + f(d − 1), f(0) = 0, computing f(d − 1)
    /// by a CALL to itself (so a chain d frames deep); with r ≥ 2 it calls itself r times with (d, 1) and returns the
    /// sum, r·d(d+1)/2.
    /// </summary>
    public static byte[] RecursionCode() => new Asm()
        .Push(32).Op("CALLDATALOAD").Push(1).Op("DUP2 GT").JumpIf("rounds") // r
        .Op("POP").Push(0).Op("CALLDATALOAD")                              // d
        .Op("DUP1 ISZERO").JumpIf("return")
        .Op("DUP1").Push(1).Op("SWAP1 SUB").CallSelf().Op("ADD")
        .Label("return")
        .ReturnTop()
        .Label("rounds")
        .Push(0).Push(0)                                                   // r acc k
        .Label("loop")
        .Op("DUP3 DUP2 LT ISZERO").JumpIf("done")
        .Push(0).Op("CALLDATALOAD").CallSelf()                             // r acc k f(d)
        .Op("DUP3 ADD SWAP2 POP")
        .Push(1).Op("ADD")
        .Jump("loop")
        .Label("done")
        .Op("POP").ReturnTop()
        .Label("revert").Push(0).Push(0).Op("REVERT")
        .Build();

    /// <summary>The recursion program: <paramref name="rounds"/> chains <paramref name="depth"/> calls deep.</summary>
    public static BenchCase Recursion(int depth, int rounds) => new("jevm/recursion", RecursionCode(), Words(depth, rounds))
    {
        Description = $"{rounds} chains of self-CALLs {depth} deep",
    };
}
