using System.Numerics;
using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Codegen;

/// <summary>
/// The JIT's inline forms (shifts, MUL/DIV/MOD by constant powers of two, comparisons, the MLOAD/MSTORE fast paths)
/// on values only known at run time (call data), against a BigInteger reference and the interpreter.
/// </summary>
public class InlineArithmeticTests
{
    private static readonly BigInteger s_modulus = BigInteger.One << 256;

    private static UInt256 Word(ulong a, ulong b, ulong c, ulong d) => new(a, b, c, d);

    private static BigInteger Signed(BigInteger x) => x >= (BigInteger.One << 255) ? x - s_modulus : x;

    private static UInt256 FromBig(BigInteger x) => UInt256.FromBigInteger(((x % s_modulus) + s_modulus) % s_modulus);

    private static byte[] Input(params UInt256[] words)
    {
        var input = new byte[32 * words.Length];
        for (int i = 0; i < words.Length; i++) words[i].WriteBigEndian(input.AsSpan(32 * i, 32));
        return input;
    }

    /// <summary>Runs on the JIT and the interpreter; both must return <paramref name="expected"/> and use the same gas.</summary>
    private static void Check(byte[] code, byte[] input, UInt256 expected)
    {
        var jit = Run(EngineKind.Jit, Fork.Cancun, code, input: input);
        var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code, input: input);
        Assert.Equal(StatusCode.Success, jit.Status);
        Assert.Equal(expected, jit.Word());
        Assert.Equal(expected, interpreter.Word());
        Assert.Equal(interpreter.GasLeft, jit.GasLeft);
    }

    private static Code LoadInput(Code c, int index) => c.Push(32 * index).Op(CALLDATALOAD);

    [Property(MaxTest = 120)]
    public void Shifts_and_BYTE_by_a_constant_match_the_reference(ulong a, ulong b, ulong c, ulong d, ushort shiftPick, byte opPick)
    {
        var x = Word(Spread(a), Spread(b), Spread(c), Spread(d));
        int shift = shiftPick % 300; // includes shifts of 256 and more
        byte op = (opPick % 4) switch { 0 => SHL, 1 => SHR, 2 => SAR, _ => BYTE };
        var code = LoadInput(Code.New, 0).Push(shift).Op(op).ReturnTop().Build();
        var big = x.ToBigInteger();
        BigInteger expected = op switch
        {
            SHL => shift >= 256 ? 0 : big << shift,
            SHR => shift >= 256 ? 0 : big >> shift,
            SAR => Signed(big) >> Math.Min(shift, 256),
            _ => shift >= 32 ? 0 : (big >> (8 * (31 - shift))) & 0xff,
        };
        Check(code, Input(x), FromBig(expected));
    }

    [Property(MaxTest = 120)]
    public void MUL_DIV_MOD_by_a_constant_power_of_two_or_zero_match_the_reference(ulong a, ulong b, ulong c, ulong d, byte exponent, byte opPick, bool zero)
    {
        var x = Word(Spread(a), Spread(b), Spread(c), Spread(d));
        var constant = zero ? BigInteger.Zero : BigInteger.One << exponent;
        byte op = (opPick % 4) switch { 0 => MUL, 1 => DIV, 2 => MOD, _ => MUL };
        // MUL with the constant on top (pick 0) or below (pick 3); DIV/MOD: x (on top) / constant.
        var code = opPick % 4 == 0
            ? LoadInput(Code.New, 0).Push(FromBig(constant)).Op(op).ReturnTop().Build()
            : LoadInput(Code.New.Push(FromBig(constant)), 0).Op(op).ReturnTop().Build();
        var big = x.ToBigInteger();
        BigInteger expected = op switch
        {
            MUL => big * constant,
            DIV => constant.IsZero ? 0 : big / constant,
            _ => constant.IsZero ? 0 : big % constant,
        };
        Check(code, Input(x), FromBig(expected));
    }

    [Property(MaxTest = 400)]
    public void Comparisons_and_arithmetic_on_run_time_values_match_the_reference(ulong a, ulong b, ulong c, ulong d, byte opPick, byte shape)
    {
        // Often equal in the high limbs (so the comparisons reach the low ones: compiled comparisons take a shortcut
        // when all three high limbs are equal), or equal in all high limbs but one, or both under 2^64 (MUL/DIV/MOD's
        // fast path), sometimes with a zero divisor; limbs over the whole range (both signs).
        (a, b, c, d) = (Spread(a), Spread(b), Spread(c), Spread(d));
        var (x, y) = (shape % 7) switch
        {
            0 => (Word(a, b, c, d), Word(d, c, b, a)),
            1 => (Word(a, b, c, d), Word(b, b, c, d)),
            2 => (Word(a, 0, 0, 0), Word(d, 0, 0, 0)),
            3 => (Word(a, b, c, d), Word(b, a, c, d)),
            4 => (Word(a, b, c, d), Word(b, b, a, d)),
            5 => (Word(a, b, c, d), Word(b, b, c, a)),
            _ => (Word(a, 0, 0, 0), Word(0, 0, 0, 0)),
        };
        byte op = (opPick % 12) switch
        {
            0 => LT, 1 => GT, 2 => SLT, 3 => SGT, 4 => EQ, 5 => ADD, 6 => SUB, 7 => ISZERO, 8 => NOT, 9 => MUL, 10 => DIV, _ => MOD,
        };
        // a = x on top, b = y below.
        var code = LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        BigInteger bx = x.ToBigInteger(), by = y.ToBigInteger();
        BigInteger expected = op switch
        {
            LT => bx < by ? 1 : 0,
            GT => bx > by ? 1 : 0,
            SLT => Signed(bx) < Signed(by) ? 1 : 0,
            SGT => Signed(bx) > Signed(by) ? 1 : 0,
            EQ => bx == by ? 1 : 0,
            ADD => bx + by,
            SUB => bx - by,
            ISZERO => bx.IsZero ? 1 : 0,
            NOT => s_modulus - 1 - bx,
            MUL => bx * by,
            DIV => by.IsZero ? 0 : bx / by,
            _ => by.IsZero ? 0 : bx % by,
        };
        Check(code, Input(x, y), FromBig(expected));
    }

    private static readonly ulong[] s_carryLimbs = [0, 1, 2, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1, (1UL << 63) + 1];

    [Property(MaxTest = 600)]
    public void ADD_and_SUB_carry_and_borrow_through_every_limb(ulong pick, ulong random, byte opPick, byte form)
    {
        // Each limb of both operands from the values where a carry or borrow starts, stops or goes on (0, 1, all ones,
        // the top bit alone or all but it), or random: every combination of carry in and out, limb by limb. Run-time
        // values on both sides, or one a 256-bit constant of the code (top or below).
        ulong Limb(int i)
        {
            int p = (int)((pick >> (4 * i)) & 15);
            return p < s_carryLimbs.Length ? s_carryLimbs[p] : random * (ulong)(2 * i + 1) + (ulong)p;
        }
        var x = Word(Limb(0), Limb(1), Limb(2), Limb(3));
        var y = Word(Limb(4), Limb(5), Limb(6), Limb(7));
        byte op = opPick % 2 == 0 ? ADD : SUB;
        var code = (form % 3) switch
        {
            0 => LoadInput(LoadInput(Code.New, 1), 0),
            1 => LoadInput(Code.New.Push(y), 0),
            _ => Code.New.Push(0).Op(POP).Push(x).Op(CALLDATASIZE).Op(POP).Push(32).Op(CALLDATALOAD).Op(SWAP1),
        };
        code.Op(op).ReturnTop();
        BigInteger bx = x.ToBigInteger(), by = y.ToBigInteger();
        Check(code.Build(), Input(x, y), FromBig(op == ADD ? bx + by : bx - by));
    }

    [Property(MaxTest = 200)]
    public void ADD_of_a_constant_below_2_to_the_64_matches_the_reference(ulong a, ulong b, ulong c, ulong d, ulong k, bool constantOnTop, byte shape)
    {
        // Carries out of the low limb into limbs of all ones (a negative number plus a small one), stopping at each limb.
        (a, b, c, d, k) = (Spread(a), Spread(b), Spread(c), Spread(d), Spread(k));
        var x = (shape % 6) switch
        {
            0 => Word(a, b, c, d),
            1 => Word(ulong.MaxValue - (k % 64), ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
            2 => Word(ulong.MaxValue, ulong.MaxValue, c, d),
            3 => Word(ulong.MaxValue, b, c, d),
            4 => Word(a, 0, 0, 0),
            _ => Word(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, d),
        };
        if (shape % 6 is 1 or 2 or 3 or 5) k |= 1 << 6;
        var code = constantOnTop
            ? LoadInput(Code.New, 0).Push(new UInt256(k)).Op(ADD).ReturnTop().Build()
            : LoadInput(Code.New.Push(new UInt256(k)), 0).Op(ADD).ReturnTop().Build();
        Check(code, Input(x), FromBig(x.ToBigInteger() + k));
    }

    [Property(MaxTest = 300)]
    public void Comparisons_with_a_constant_match_the_reference(ulong a, ulong b, ulong c, ulong d, ulong k, byte opPick, byte shape, bool constantOnTop)
    {
        // The constant: below 2^64 (a compiled comparison then tests the other item's high limbs at once), or with some
        // high limbs zero and some not, or negative (the other form, which branches limb by limb and must not take a
        // constant zero limb for an equal one). The run-time item: small, negative and small, or anything.
        (a, b, c, d, k) = (Spread(a), Spread(b), Spread(c), Spread(d), Spread(k));
        var constant = (shape % 5) switch
        {
            0 => Word(k, 0, 0, 0),
            1 => Word(k, 0, c | 1, 0),
            2 => Word(k, b | 1, 0, 0),
            3 => Word(k, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
            _ => Word(k, 0, 0, d | 1),
        };
        var x = (shape / 5 % 3) switch
        {
            0 => Word(a, 0, 0, 0),
            1 => Word(a, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
            _ => Word(a, b, c, d),
        };
        byte op = (opPick % 4) switch { 0 => LT, 1 => GT, 2 => SLT, _ => SGT };
        // The operand on top is the first: top op second.
        var code = constantOnTop
            ? LoadInput(Code.New, 0).Push(constant).Op(op).ReturnTop().Build()
            : LoadInput(Code.New.Push(constant), 0).Op(op).ReturnTop().Build();
        BigInteger top = (constantOnTop ? constant : x).ToBigInteger(), second = (constantOnTop ? x : constant).ToBigInteger();
        bool result = op switch
        {
            LT => top < second,
            GT => top > second,
            SLT => Signed(top) < Signed(second),
            _ => Signed(top) > Signed(second),
        };
        Check(code, Input(x), result ? UInt256.One : UInt256.Zero);
    }

    [Property(MaxTest = 200)]
    public void MUL_by_a_64_bit_constant_matches_the_reference(ulong a, ulong b, ulong c, ulong d, ulong k, bool onTop, byte shape)
    {
        var x = Word(Spread(a), Spread(b), Spread(c), Spread(d));
        ulong constant = (shape % 4) switch { 0 => Spread(k) | 3, 1 => 1_000_000_000_000_000_000UL, 2 => ulong.MaxValue, _ => k + 3 };
        var code = onTop
            ? LoadInput(Code.New, 0).Push(new UInt256(constant)).Op(MUL).ReturnTop().Build()
            : LoadInput(Code.New.Push(new UInt256(constant)), 0).Op(MUL).ReturnTop().Build();
        Check(code, Input(x), FromBig(x.ToBigInteger() * constant));
    }

    [Property(MaxTest = 200)]
    public void MUL_by_a_sum_of_powers_of_2_to_the_64_matches_the_reference(ulong a, ulong b, ulong c, ulong d, byte pattern, bool onTop, bool acrossBlocks)
    {
        // m has limbs of 0 or 1 (2^64 + 1 copies a 64-bit lane upwards); it reaches MUL as a PUSH in the same block, or
        // on the entry stack of the next block (entry constant propagation proves it constant there).
        int bits = pattern % 15 + 1;
        var m = Word((ulong)(bits & 1), (ulong)(bits >> 1 & 1), (ulong)(bits >> 2 & 1), (ulong)(bits >> 3 & 1));
        var x = Word(Spread(a), Spread(b), Spread(c), Spread(d));
        Code code;
        if (acrossBlocks)
        {
            code = onTop ? LoadInput(Code.New, 0).Push(m) : LoadInput(Code.New.Push(m), 0);
            int label = code.Build().Length + 3; // PUSH1 label, JUMP
            code.Push(label).Op(JUMP, JUMPDEST);
        }
        else code = onTop ? LoadInput(Code.New, 0).Push(m) : LoadInput(Code.New.Push(m), 0);
        Check(code.Op(MUL).ReturnTop().Build(), Input(x), FromBig(x.ToBigInteger() * m.ToBigInteger()));
    }

    [Property(MaxTest = 300)]
    public void Shifts_by_a_run_time_amount_match_the_reference(ulong a, ulong b, ulong c, ulong d, ushort shiftPick, byte opPick, byte shape)
    {
        // The amount comes from call data: every amount 0..299 (limb and bit parts, 256 and more), and amounts with
        // high limbs set; values with the sign bit set or clear.
        // FsCheck's ulongs are small: spread them over the whole range (and so over both signs).
        var x = Word(Spread(a), Spread(b), Spread(c), (shape & 0x80) != 0 ? Spread(d) | (1UL << 63) : Spread(d) >> 1);
        var amount = (shape % 5) switch
        {
            0 => new UInt256((ulong)(shiftPick % 300)),
            1 => new UInt256((ulong)(shiftPick % 300), 1, 0, 0),
            2 => new UInt256(ulong.MaxValue, 0, 0, 0),
            _ => new UInt256((ulong)((shiftPick % 64) * ((shiftPick >> 8) % 4 + 1))),
        };
        byte op = (opPick % 3) switch { 0 => SHL, 1 => SHR, _ => SAR };
        var code = LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        var big = x.ToBigInteger();
        bool huge = !amount.FitsInUInt64 || amount.U0 >= 256;
        int n = huge ? 256 : (int)amount.U0;
        BigInteger expected = op switch
        {
            SHL => huge ? 0 : big << n,
            SHR => huge ? 0 : big >> n,
            _ => Signed(big) >> n,
        };
        Check(code, Input(amount, x), FromBig(expected));
    }

    /// <summary>A small generated number spread over all 64 bits (an odd multiplier is a bijection).</summary>
    private static ulong Spread(ulong x) => x * 0x9E3779B97F4A7C15UL;

    /// <summary>The signed 128-bit value hi·2^64 + lo (hi signed) sign-extended to 256 bits.</summary>
    private static UInt256 Signed128(long hi, ulong lo) => FromBig(new BigInteger(hi) * (BigInteger.One << 64) + lo);

    /// <summary>A signed 64-bit value sign-extended to 256 bits (the JIT's signed fast paths take these).</summary>
    private static UInt256 SignedWord(long v) => FromBig(new BigInteger(v));

    [Property(MaxTest = 600)]
    public void Signed_MUL_SDIV_SMOD_on_run_time_values_match_the_reference(long x, long y, byte opPick, byte shape)
    {
        // Both operands sign-extended 64-bit values (the signed fast path), with the edges it must leave to the core
        // (a zero divisor, a dividend of -2^63 with -1 or anything else), or one operand wider (the core).
        byte op = (opPick % 3) switch { 0 => MUL, 1 => SDIV, _ => SMOD };
        // Small values as generated, or spread over the whole 64-bit range (both signs, products past 2^64).
        if ((shape & 0x40) != 0) { x = (long)Spread((ulong)x); y = (long)Spread((ulong)y); }
        var (a, b) = (shape % 10) switch
        {
            0 => (SignedWord(x), SignedWord(y)),
            1 => (SignedWord(x), SignedWord(0)),
            2 => (SignedWord(long.MinValue), SignedWord(-1)),
            3 => (SignedWord(long.MinValue), SignedWord(y)),
            4 => (SignedWord(x), Word((ulong)y, 5, 0, 0)),
            5 => (SignedWord(x % 1000), SignedWord(y % 1000)),
            // Dividends of up to 128 bits (a fixed-point product) over 64-bit divisors: the quotient fits in 64 bits
            // or not (the 128-bit path must leave those to the core), both signs, exact and inexact.
            6 => (Signed128(x, Spread((ulong)y)), SignedWord(y)),
            7 => (Signed128(x >> 40, (ulong)y), SignedWord(x | 1)),
            8 => (Signed128(-1, 0), SignedWord(y == 0 ? 3 : y)),
            _ => (FromBig(new BigInteger(x) * new BigInteger(y == 0 ? 7 : y)), SignedWord(y == 0 ? 7 : y)),
        };
        var code = LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        BigInteger expected = ReferenceSemanticsOf(op, a, b);
        Check(code, Input(a, b), FromBig(expected));
    }

    [Property(MaxTest = 400)]
    public void ISZERO_chains_and_JUMPI_on_a_comparison_match_the_reference(ulong a, ulong b, byte opPick, byte shape, byte chain, bool branch)
    {
        // A comparison's 0 or 1 (LT, GT, SLT, SGT, EQ, ISZERO), then 0-3 ISZEROs, then returned or taken by a JUMPI: the
        // compiled forms test only limb 0 of a comparison's result. Operands differ in one limb only, or are equal.
        (a, b) = (Spread(a), Spread(b));
        int limb = shape % 4;
        var x = Word(a, a >> 7, ~a, a * 3);
        var y = (shape / 4 % 3) switch
        {
            0 => x,
            1 => Word(limb == 0 ? b : x.U0, limb == 1 ? b : x.U1, limb == 2 ? b : x.U2, limb == 3 ? b : x.U3),
            _ => Word(b, 0, 0, 0),
        };
        byte op = (opPick % 6) switch { 0 => LT, 1 => GT, 2 => SLT, 3 => SGT, 4 => EQ, _ => ISZERO };
        BigInteger bx = x.ToBigInteger(), by = y.ToBigInteger();
        bool value = op switch
        {
            LT => bx < by,
            GT => bx > by,
            SLT => Signed(bx) < Signed(by),
            SGT => Signed(bx) > Signed(by),
            EQ => bx == by,
            _ => bx.IsZero,
        };
        int n = chain % 4;
        if (n % 2 == 1) value = !value;
        var code = op == ISZERO ? LoadInput(Code.New, 0).Op(ISZERO) : LoadInput(LoadInput(Code.New, 1), 0).Op(op);
        for (int i = 0; i < n; i++) code.Op(ISZERO);
        if (!branch)
        {
            Check(code.ReturnTop().Build(), Input(x, y), new UInt256(value ? 1UL : 0UL));
            return;
        }
        // PUSH1 taken JUMPI; return 2; taken: JUMPDEST; return 1.
        byte[] notTaken = Code.New.Push(2).ReturnTop().Build();
        int taken = code.Length + 3 + notTaken.Length;
        code.Push(taken).Op(JUMPI).Raw(notTaken).Op(JUMPDEST).Push(1).ReturnTop();
        Check(code.Build(), Input(x, y), new UInt256(value ? 1UL : 2UL));
    }

    [Theory]
    [InlineData(0, 3, 1)]
    [InlineData(0, 7, 2)]
    [InlineData(0, 1UL << 63, 2)]
    [InlineData(1, 0, 2)]
    [InlineData(1, 2, 1)]
    [InlineData(1, 1UL << 63, 1)]
    [InlineData(2, 1UL << 63, 1)]
    public void A_comparison_carried_into_a_block_a_computed_jump_also_enters_is_tested_whole_there(int via, ulong v, int expected)
    {
        // Block B (0x1b) is entered by a static JUMP with a comparison's 0/1 on top (its items carried in locals) and by a
        // computed jump with any value there. B's ISZERO ISZERO JUMPI must test that value whole: one known to be a
        // comparison's result only in the block that computed it. via 0: the static way (v < 5); via 1: the computed
        // jump with v on top; via 2: likewise, v shifted into limb 2 (limb 0 zero).
        const string hex =
            "600035" + "602035" + "80" + "15" + "6011" + "57" + // v t; if t == 0 goto A
            "50" + "80" + "604035" + "56" +                      // v v; jump to the target in the call data
            "5b" + "50" + "80" + "6005" + "90" + "10" + "601b" + "56" + // A: v (v < 5); goto B
            "5b" + "15" + "15" + "602b" + "57" +                  // B: if that is not zero goto T
            "6002" + "600052" + "60206000f3" +                   // return 2
            "5b" + "6001" + "600052" + "60206000f3";             // T: return 1
        var value = via == 2 ? Word(0, 0, v, 0) : Word(v, 0, 0, 0);
        var input = Input(value, new UInt256(via == 0 ? 0UL : 1UL), new UInt256(0x1b));
        foreach (var kind in new[] { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered })
        {
            var r = Run(kind, Fork.Cancun, Convert.FromHexString(hex), input: input);
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.Equal(new UInt256((ulong)expected), r.Word());
        }
    }

    [Property(MaxTest = 300)]
    public void Signed_MUL_SDIV_SMOD_of_a_value_off_sign_extension_in_one_limb_match_the_reference(long x, long y, ulong flip, byte pick)
    {
        // One operand is a sign-extended 64-bit value except in limb 1, 2 or 3 (each one checked on its own by the
        // signed fast path's entry test): the fast path must not take it. Fails when any one limb goes unchecked.
        byte op = (pick % 3) switch { 0 => MUL, 1 => SDIV, _ => SMOD };
        int limb = 1 + (pick / 3) % 3;
        bool onDividend = (pick & 0x80) != 0;
        if (flip == 0) flip = 1UL << (int)(y & 63);
        var bad = SignedWord(x);
        bad = limb switch
        {
            1 => Word(bad.U0, bad.U1 ^ flip, bad.U2, bad.U3),
            2 => Word(bad.U0, bad.U1, bad.U2 ^ flip, bad.U3),
            _ => Word(bad.U0, bad.U1, bad.U2, bad.U3 ^ flip),
        };
        var good = SignedWord(y == 0 ? 3 : y);
        var (a, b) = onDividend ? (bad, good) : (good, bad);
        var code = LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        Check(code, Input(a, b), FromBig(ReferenceSemanticsOf(op, a, b)));
    }

    [Property(MaxTest = 600)]
    public void Division_of_128_bit_values_by_divisors_beyond_64_bits_matches_the_reference(long xHi, long x, long yHi, long y, byte opPick, byte shape)
    {
        // Both operands sign-extended 128-bit values with a divisor of magnitude 2^64 or more (compiled SDIV divides
        // their magnitudes inline; the shared cores of DIV/MOD/SDIV/SMOD take 128-by-128 divisions in one step), and
        // the edges: -2^127, divisors of exactly ±2^64 and just inside 64 bits, quotients of 2^63, exact multiples,
        // and operands one bit too wide for the inline path.
        byte op = (opPick % 4) switch { 0 => SDIV, 1 => SMOD, 2 => DIV, _ => MOD };
        if ((shape & 0x40) != 0) { xHi = (long)Spread((ulong)xHi); yHi = (long)Spread((ulong)yHi); }
        ulong xl = Spread((ulong)x), yl = Spread((ulong)y);
        long divisorHigh = yHi == 0 || yHi == -1 ? yHi + 2 : yHi; // never a divisor that is a 64-bit value
        var (a, b) = (shape % 12) switch
        {
            0 => (Signed128(xHi, xl), Signed128(divisorHigh, yl)),
            1 => (Signed128(xHi >> 20, xl), Signed128(divisorHigh >> 40 | 1, yl)),      // small quotients (fixed point)
            2 => (Signed128(long.MinValue, 0), Signed128(1, 0)),                       // -2^127 / 2^64 = -2^63
            3 => (Signed128(long.MinValue, 0), Signed128(-1, 0)),                      // -2^127 / -2^64 = 2^63
            4 => (Signed128(xHi, xl), Signed128(-1, 0)),                               // by -2^64
            5 => (Signed128(xHi, xl), Signed128(0, 1UL << 63 | yl)),                   // |b| below 2^64, not sign-extended
            6 => (Signed128(xHi, xl), Signed128(-1, (1UL << 63) - 1 - (yl >> 1))),     // likewise, negative
            7 => (FromBig(new BigInteger(divisorHigh >> 33 | 1) * ((BigInteger)xHi * (BigInteger.One << 64) + xl + 1)),
                  Signed128(divisorHigh >> 33 | 1, 0)),                                 // by k · 2^64, a multiple of k (often past 128 bits)
            8 => (Word(xl, (ulong)xHi, 1, 0), Signed128(divisorHigh, yl)),             // dividend of 129+ bits
            9 => (Signed128(xHi, xl), Word(yl, (ulong)divisorHigh, 1, 0)),             // divisor of 129+ bits
            10 => (FromBig(ToBig128(divisorHigh, yl) * (xHi & 0x7fff) + (x % 5)), Signed128(divisorHigh, yl)),
            _ => (Signed128(divisorHigh, yl), Signed128(divisorHigh, yl)),             // quotient 1
        };
        var code = LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        Check(code, Input(a, b), FromBig(ReferenceSemanticsOf(op, a, b)));

        static BigInteger ToBig128(long hi, ulong lo) => new BigInteger(hi) * (BigInteger.One << 64) + lo;
    }

    [Property(MaxTest = 600)]
    public void SDIV_and_SMOD_by_powers_of_two_match_the_reference(long x, ulong lo, byte kPick, byte shape)
    {
        // Divisors ±2^k (k = 0..63), from call data (the run-time power-of-two test) or pushed (a constant), over
        // dividends of 64 and 128 bits: both signs, the edges -2^63 and -2^127, exact multiples, and -1 (rounds to 0).
        int k = kPick % 64;
        byte op = (shape & 1) == 0 ? SDIV : SMOD;
        bool negativeDivisor = (shape & 2) != 0, constant = (shape & 4) != 0;
        if ((shape & 0x80) != 0) x = (long)Spread((ulong)x);
        var divisor = FromBig(negativeDivisor ? -(BigInteger.One << k) : BigInteger.One << k);
        var dividend = ((shape >> 3) % 8) switch
        {
            0 => SignedWord(x),
            1 => SignedWord(long.MinValue),
            2 => SignedWord(-1),
            3 => SignedWord(x & ~((1L << k) - 1)),                  // a multiple of 2^k
            4 => Signed128(x, Spread(lo)),
            5 => Signed128(long.MinValue, 0),
            6 => Signed128(x >> 30, lo & ~((1UL << k) - 1)),      // a 128-bit multiple when x >> 30 is 0 or -1
            _ => Signed128(-1, Spread(lo) | 1UL << 63),            // just inside 64 bits, negative
        };
        var code = constant
            ? LoadInput(Code.New.Push(divisor), 0).Op(op).ReturnTop().Build()
            : LoadInput(LoadInput(Code.New, 1), 0).Op(op).ReturnTop().Build();
        Check(code, constant ? Input(dividend) : Input(dividend, divisor), FromBig(ReferenceSemanticsOf(op, dividend, divisor)));
    }

    private static BigInteger ReferenceSemanticsOf(byte op, UInt256 a, UInt256 b) =>
        Jevm.Tests.Ir.ReferenceSemantics.Evaluate(op, [a.ToBigInteger(), b.ToBigInteger()]);

    [Property(MaxTest = 200)]
    public void SIGNEXTEND_by_a_constant_byte_index_matches_the_reference(ulong a, ulong b, ulong c, ulong d, byte indexPick, byte signPick)
    {
        // Every index 0..33 (31 and more leave the value as it is), with the sign bit of the indexed byte forced
        // either way so that both fills are reached.
        var x = Word(a, b, c, d);
        int index = indexPick % 34;
        if (index < 31)
        {
            int bit = 8 * index + 7;
            var big = x.ToBigInteger();
            big = (signPick & 1) != 0 ? big | (BigInteger.One << bit) : big & ~(BigInteger.One << bit) & ReferenceSemanticsMax;
            x = FromBig(big);
        }
        var code = LoadInput(Code.New, 0).Push(index).Op(SIGNEXTEND).ReturnTop().Build();
        Check(code, Input(x), FromBig(ReferenceSemanticsOf(SIGNEXTEND, new UInt256((ulong)index), x)));
    }

    private static BigInteger ReferenceSemanticsMax => Jevm.Tests.Ir.ReferenceSemantics.Max;

    [Fact]
    public void Zero_tests_of_values_the_dotnet_JIT_turns_into_rotates_agree()
    {
        // RyuJIT recognises (x << c) | (x >> 64 - c) as a rotate and (.NET 10, dotnet/runtime#129288) may then drop the
        // test before a comparison with zero, reading flags that ROL/ROR do not set. Such ORs arise from one EVM shift
        // across limbs (found by the fuzzer: ISZERO(SHL(125, x AND 0xffff)) gave 0 for x = 0) and from an EVM-level
        // 64-bit rotate. Each value is zero-tested by ISZERO, EQ, JUMPI, and as a divisor, at inputs 0 and not 0.
        var inputs = new[] { 0UL, 1UL, 0x8000_0000_0000_0000UL, 0xffffUL, 0x1234_5678_9abc_def0UL };
        foreach (int shift in new[] { 65, 67, 96, 125, 127 })
            foreach (byte test in new[] { ISZERO, EQ, JUMPI, DIV })
                foreach (ulong x in inputs)
                {
                    // v = SHL(shift, x AND 0xffffffffffffffff)
                    var v = LoadInput(Code.New, 0).Push(new UInt256(ulong.MaxValue)).Op(AND).Push(shift).Op(SHL);
                    // x < 2^64 and shift < 192: no bit leaves the word, so v is zero exactly when x is.
                    Check(ZeroTest(v, test).Build(), Input(new UInt256(x)), Expected(test, x != 0));
                }
        foreach (int r in new[] { 1, 8, 32, 63 })
            foreach (byte test in new[] { ISZERO, EQ, JUMPI, DIV })
                foreach (ulong x in inputs)
                {
                    // v = (SHL(r, x) OR SHR(64 - r, x)) AND 2^64 - 1: x rotated left by r in 64 bits
                    var v = LoadInput(Code.New, 0).Push(r).Op(SHL).Op(CALLDATASIZE).Op(POP).Push(0).Op(CALLDATALOAD).Push(64 - r).Op(SHR)
                        .Op(OR).Push(new UInt256(ulong.MaxValue)).Op(AND);
                    Check(ZeroTest(v, test).Build(), Input(new UInt256(x)), Expected(test, x != 0));
                }
    }

    [Fact]
    public void Signed_fast_paths_on_limbs_the_dotnet_JIT_turns_into_rotates_agree()
    {
        // v = SHL(s, SIGNEXTEND(0, x)) for s in 65..127: limb 0 of v is the constant 0, so its sign fill is 0, and the
        // limbs above are (f << c) | (f >> 64 - c) of the sign fill f, which RyuJIT turns into rotates. The signed fast
        // paths compare those limbs with the fill; a comparison RyuJIT saw as one with 0 could drop its test after the
        // rotate (dotnet/runtime#129288) and take the fast path with limbs of all ones.
        foreach (int shift in new[] { 65, 72, 100, 127 })
            foreach (byte op in new[] { MUL, SDIV, SMOD })
                foreach (ulong x in new[] { 0x80UL, 0xffUL, 0x7fUL, 0UL })
                    foreach (long y in new[] { 3L, -5L })
                    {
                        var code = LoadInput(Code.New, 1).Push(0).Op(CALLDATALOAD).Push(0).Op(SIGNEXTEND).Push(shift).Op(SHL)
                            .Op(op).ReturnTop().Build();
                        var extended = FromBig(ReferenceSemanticsOf(SIGNEXTEND, UInt256.Zero, new UInt256(x)));
                        var v = FromBig(ReferenceSemanticsOf(SHL, new UInt256((ulong)shift), extended));
                        Check(code, Input(new UInt256(x), SignedWord(y)), FromBig(ReferenceSemanticsOf(op, v, SignedWord(y))));
                    }
    }

    /// <summary>Leaves 1 when the value on the stack is zero and 0 when not, by <paramref name="test"/>, then returns it.</summary>
    private static Code ZeroTest(Code c, byte test) => test switch
    {
        ISZERO => c.Op(ISZERO).ReturnTop(),
        EQ => c.Push(0).Op(EQ).ReturnTop(),
        // JUMPI to the return of 0 when non-zero, else return 1.
        JUMPI => c.PushN(2, new UInt256((ulong)(c.Length + 4 + Code.New.Push(1).ReturnTop().Length))).Op(JUMPI)
            .Push(1).ReturnTop().Op(JUMPDEST).Push(0).ReturnTop(),
        // 2^255 / v: 0 when v is 0 (the divisor test), at least 1 otherwise (v is below 2^192 here).
        _ => c.Push(new UInt256(0, 0, 0, 1UL << 63)).Op(DIV).Op(ISZERO).ReturnTop(),
    };

    private static UInt256 Expected(byte test, bool nonZero) => nonZero ? UInt256.Zero : UInt256.One;

    [Fact]
    public void Memory_fast_paths_agree_at_every_offset_around_the_memory_size()
    {
        // Memory grown to 96 bytes, then MLOAD / MSTORE / MSTORE8 at run-time offsets 0..140 (inside, straddling and
        // past the end: the fast path must hand expansions to the core). Returns the loaded word and MSIZE.
        for (int offset = 0; offset <= 140; offset += 3)
        {
            var input = Input(new UInt256((ulong)offset), new UInt256(0x1122334455667788, 0x99aabbccddeeff00, 0x0102030405060708, 0xf0e0d0c0b0a09080));
            foreach (byte op in new[] { MLOAD, MSTORE, MSTORE8 })
            {
                var c = Code.New.MStore(64, new UInt256(0xabcdef)).MStore(0, new UInt256(1, 2, 3, 4));
                if (op == MLOAD) LoadInput(c, 0).Op(MLOAD);
                else LoadInput(LoadInput(c, 1), 0).Op(op).Push(0).Op(MLOAD);
                var code = c.Push(32).Op(MSTORE).Op(MSIZE).Push(0).Op(MSTORE).Return(0, 64).Build();
                var jit = Run(EngineKind.Jit, Fork.Cancun, code, input: input);
                var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code, input: input);
                Assert.Equal(StatusCode.Success, jit.Status);
                Assert.Equal(interpreter.Output, jit.Output);
                Assert.Equal(interpreter.GasLeft, jit.GasLeft);
            }
        }
    }

    [Fact]
    public void Memory_accesses_at_offsets_of_2_to_the_31_and_beyond_fail_with_out_of_gas_like_the_interpreter()
    {
        // Run-time offsets just under and past 2^31 (more memory than is ever granted), 2^32 and more (the inline
        // forms' own branch to OutOfGas), 2^64 and 2^255; each access followed by a block tail with nothing that can
        // fail otherwise (the inline branch) or by an SSTORE (the exact hand-over to the core). Both engines must end
        // with the interpreter's status and gas, whatever the gas limit.
        ulong[] lows = [(1UL << 31) - 32, 1UL << 31, (1UL << 32) - 1, 1UL << 32, 1UL << 40, ulong.MaxValue];
        var offsets = new List<UInt256>();
        foreach (var low in lows) offsets.Add(new UInt256(low));
        offsets.Add(new UInt256(0, 1, 0, 0));
        offsets.Add(new UInt256(0, 0, 0, 1UL << 63));
        foreach (var offset in offsets)
            foreach (byte op in new[] { MLOAD, MSTORE, MSTORE8 })
                foreach (bool storeAfter in new[] { false, true })
                {
                    var c = Code.New.Push(5).Push(0).Op(SSTORE);
                    if (op == MLOAD) LoadInput(c, 0).Op(MLOAD);
                    else LoadInput(c.Push(7), 0).Op(op);
                    if (storeAfter) c.Push(9).Push(1).Op(SSTORE);
                    c.Push(1).Push(2).Op(ADD);
                    if (op == MLOAD) c.Op(ADD); // the loaded word is used
                    var code = c.ReturnTop().Build();
                    var input = Input(offset);
                    foreach (long gas in new long[] { 30_000, 10_000_000 })
                    {
                        var jit = Run(EngineKind.Jit, Fork.Cancun, code, gas: gas, input: input);
                        var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code, gas: gas, input: input);
                        Assert.Equal(StatusCode.OutOfGas, interpreter.Status);
                        Assert.Equal(interpreter.Status, jit.Status);
                        Assert.Equal(interpreter.GasLeft, jit.GasLeft);
                    }
                }
    }

    [Fact]
    public void Memory_expansion_out_of_gas_mid_block_fails_like_the_interpreter()
    {
        // MSTORE at a run-time offset far past the memory, then more work in the same block: at every gas limit
        // around the point where the expansion fits but the rest of the block does not, both engines agree.
        var code = LoadInput(Code.New.Push(7), 0).Op(MSTORE).Push(1).Push(2).Op(ADD).Push(3).Op(MUL).ReturnTop().Build();
        var input = Input(new UInt256(4000));
        var full = Run(EngineKind.Interpreter, Fork.Cancun, code, gas: 100_000, input: input);
        long used = 100_000 - full.GasLeft;
        for (long gas = used - 40; gas <= used + 2; gas++)
        {
            var jit = Run(EngineKind.Jit, Fork.Cancun, code, gas: gas, input: input);
            var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code, gas: gas, input: input);
            Assert.Equal(interpreter.Status, jit.Status);
            Assert.Equal(interpreter.GasLeft, jit.GasLeft);
        }
    }

    // Masks whose result the JIT knows to be below 2^n (its bound on a set), n = 8, 63, 64, 65 and 128, and none.
    private static readonly UInt256[] s_masks =
    [
        new(0xff), new(ulong.MaxValue >> 1), new(ulong.MaxValue), new(ulong.MaxValue, 1, 0, 0),
        new(ulong.MaxValue, ulong.MaxValue, 0, 0), UInt256.MaxValue,
    ];

    [Property(MaxTest = 150)]
    public void Sums_of_values_with_known_bounds_carry_like_the_reference(ulong a, ulong b, ulong c, ulong d, byte maskX, byte maskY, bool compare)
    {
        // AND(x, mask) + AND(y, mask'), or + LT(x, y): the JIT adds operands it knows to be below 2^63 with one
        // addition, and wider ones with the carry chain (operands of 64 bits carry into limb 1).
        var x = Word(Spread(a), Spread(b), Spread(c), Spread(d));
        var y = Word(Spread(c), Spread(d), Spread(a), Spread(b));
        var mx = s_masks[maskX % s_masks.Length];
        var my = s_masks[maskY % s_masks.Length];
        var code = LoadInput(Code.New, 0).Push(mx).Op(AND);
        code = compare ? LoadInput(LoadInput(code, 1), 0).Op(LT) : LoadInput(code, 1).Push(my).Op(AND);
        code.Op(ADD).ReturnTop();
        var xm = x.ToBigInteger() & mx.ToBigInteger();
        var second = compare ? (x.ToBigInteger() < y.ToBigInteger() ? 1 : 0) : y.ToBigInteger() & my.ToBigInteger();
        Check(code.Build(), Input(x, y), FromBig(xm + second));
    }

    [Property(MaxTest = 150)]
    public void Pointer_arithmetic_after_a_memory_access_matches_the_reference(ushort pointer, ulong a, byte pick, bool store)
    {
        // p = input 0; MSTORE(p, v) or MLOAD(p) (after it the JIT knows p < 2^32); q = p + c; returns MLOAD(q) + q.
        // c wraps p below it (2^256 - 32), or takes q past any memory (2^63, 2^64 - 1): OutOfGas on both engines.
        int p = pointer % 4096;
        var v = Word(Spread(a), Spread(a + 1), Spread(a + 2), Spread(a + 3));
        UInt256[] constants = [new(0x20), new(0x40), new(1), UInt256.MaxValue - new UInt256(0x1f), new(1UL << 63), new(ulong.MaxValue)];
        var cst = constants[pick % constants.Length];
        var code = LoadInput(Code.New, 0);
        code = store ? LoadInput(code, 1).Op(DUP1 + 1, MSTORE) : code.Op(DUP1, MLOAD, POP);
        code.Push(cst).Op(ADD, DUP1, MLOAD, ADD).ReturnTop();
        var input = Input(new UInt256((ulong)p), v);
        var jit = Run(EngineKind.Jit, Fork.Cancun, code.Build(), input: input);
        var interpreter = Run(EngineKind.Interpreter, Fork.Cancun, code.Build(), input: input);
        var q = (p + cst.ToBigInteger()) % s_modulus;
        if (q > 1 << 20)
        {
            Assert.Equal(StatusCode.OutOfGas, jit.Status);
            Assert.Equal(StatusCode.OutOfGas, interpreter.Status);
            return;
        }
        // The reference memory: v at p (or nothing), read at q.
        var memory = new byte[(1 << 20) + 64];
        if (store) v.WriteBigEndian(memory.AsSpan(p, 32));
        var loaded = new BigInteger(memory.AsSpan((int)q, 32), isUnsigned: true, isBigEndian: true);
        Assert.Equal(StatusCode.Success, jit.Status);
        Assert.Equal(FromBig(loaded + q), jit.Word());
        Assert.Equal(interpreter.Output, jit.Output);
        Assert.Equal(interpreter.GasLeft, jit.GasLeft);
    }
}
