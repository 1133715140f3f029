using Jevm.Numerics;
using Jevm.Primitives;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Codegen;

/// <summary>
/// Seeded generator of EVM programs for differential testing (JIT vs interpreter): arithmetic on edge constants,
/// DUP/SWAP shuffles, memory at small and huge offsets, GAS reads inside blocks, bounded loops, valid and invalid
/// static and dynamic jumps, storage, logs, calls into other generated contracts, REVERT, and (with some
/// probability) raw opcodes that underflow or are undefined. Every program ends by storing the stack items it knows
/// of to memory and returning them, so every value is observable.
/// </summary>
internal sealed class ProgramGenerator
{
    private static readonly UInt256[] s_edges =
    [
        UInt256.Zero, UInt256.One, new(2), new(31), new(32), new(255), new(256), new(0x7f), new(0x80),
        new(ulong.MaxValue), new(0, 1, 0, 0), new(0, 0, 0, 1UL << 63), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue),
    ];

    private static readonly byte[] s_binary = [ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, EXP, SIGNEXTEND, LT, GT, SLT, SGT, EQ, AND, OR, XOR, BYTE, SHL, SHR, SAR];
    private static readonly byte[] s_unary = [ISZERO, NOT, CLZ];
    private static readonly byte[] s_nullary = [GAS, PC, MSIZE, ADDRESS, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, RETURNDATASIZE, NUMBER, CHAINID, SELFBALANCE];

    private readonly Random _random;
    private readonly List<byte> _code = new();
    private readonly Address[] _callees;
    private int _depth;

    public ProgramGenerator(int seed, Address[]? callees = null)
    {
        _random = new Random(seed);
        _callees = callees ?? [];
    }

    /// <summary>Builds one program of about <paramref name="segments"/> segments.</summary>
    public byte[] Build(int segments, bool allowCalls = true)
    {
        _code.Clear();
        _depth = 0;
        for (int i = 0; i < segments; i++) Segment(allowCalls);
        Epilogue();
        return _code.ToArray();
    }

    private int Next(int n) => _random.Next(n);

    private bool Chance(int percent) => _random.Next(100) < percent;

    private UInt256 Constant()
    {
        if (Chance(60)) return s_edges[Next(s_edges.Length)];
        Span<byte> b = stackalloc byte[32];
        _random.NextBytes(b);
        int zeros = Next(33);
        b[..zeros].Clear();
        return UInt256.ReadBigEndian(b);
    }

    private void Op(byte op) => _code.Add(op);

    private void Push(UInt256 value)
    {
        int n = Math.Max(1, UInt256.ByteLength(value));
        if (value.IsZero && Chance(30)) { Op(PUSH0); _depth++; return; }
        Op((byte)(PUSH1 + n - 1));
        Span<byte> word = stackalloc byte[32];
        value.WriteBigEndian(word);
        _code.AddRange(word[(32 - n)..].ToArray());
        _depth++;
    }

    private void Push(int value) => Push(new UInt256((ulong)value));

    /// <summary>PUSH2 of a placeholder; returns the offset of the immediate to patch.</summary>
    private int PushLabel()
    {
        Op(PUSH1 + 1);
        int at = _code.Count;
        _code.Add(0); _code.Add(0);
        _depth++;
        return at;
    }

    private void Patch(int at, int target)
    {
        _code[at] = (byte)(target >> 8);
        _code[at + 1] = (byte)target;
    }

    private void EnsureDepth(int n)
    {
        while (_depth < n) Push(Constant());
    }

    private void Segment(bool allowCalls)
    {
        int kind = Next(100);
        if (kind < 30) Arithmetic();
        else if (kind < 40) Shuffle();
        else if (kind < 50) Memory();
        else if (kind < 56) { Op(s_nullary[Next(s_nullary.Length)]); _depth++; }
        else if (kind < 64) Loop();
        else if (kind < 72) Jump();
        else if (kind < 78) Storage();
        else if (kind < 82) Log();
        else if (kind < 88 && allowCalls && _callees.Length > 0) Call();
        else if (kind < 91) Raw();
        else if (kind < 93) Revert();
        else Arithmetic();
        // Keep the stack shallow enough for the epilogue and for DUP16/SWAP16 to mean something.
        while (_depth > 40) { Op(POP); _depth--; }
    }

    private void Arithmetic()
    {
        int steps = 1 + Next(6);
        for (int i = 0; i < steps; i++)
        {
            int shape = Next(10);
            if (shape < 7)
            {
                EnsureDepth(2);
                if (Chance(70)) Push(Constant()); // fresh operand on top
                Op(s_binary[Next(s_binary.Length)]);
                _depth--;
            }
            else if (shape < 9)
            {
                EnsureDepth(1);
                Op(s_unary[Next(s_unary.Length)]);
            }
            else
            {
                EnsureDepth(3);
                Op(Chance(50) ? ADDMOD : MULMOD);
                _depth -= 2;
            }
        }
    }

    private void Shuffle()
    {
        EnsureDepth(1);
        int steps = 1 + Next(4);
        for (int i = 0; i < steps; i++)
        {
            if (Chance(50) && _depth < 1024)
            {
                int n = 1 + Next(Math.Min(16, _depth));
                Op((byte)(DUP1 + n - 1));
                _depth++;
            }
            else if (_depth >= 2)
            {
                int n = 1 + Next(Math.Min(16, _depth - 1));
                Op((byte)(SWAP1 + n - 1));
            }
        }
    }

    private UInt256 Offset()
    {
        int k = Next(20);
        if (k < 14) return new UInt256((ulong)Next(256));
        if (k < 17) return new UInt256((ulong)(1000 + Next(4000)));
        if (k < 18) return new UInt256(1UL << 32);
        if (k < 19) return new UInt256(0, 1, 0, 0);
        return new UInt256((ulong)(30_000 + Next(100_000))); // large: expensive expansion, often out of gas
    }

    private void Memory()
    {
        int k = Next(4);
        if (k == 0)
        {
            EnsureDepth(1);
            Push(Offset()); Op(MSTORE); _depth -= 2;
        }
        else if (k == 1)
        {
            Push(Offset()); Op(MLOAD);
        }
        else if (k == 2)
        {
            EnsureDepth(1);
            Push(Offset()); Op(MSTORE8); _depth -= 2;
        }
        else
        {
            // KECCAK256 of a small range.
            Push(new UInt256((ulong)Next(96))); Push(new UInt256((ulong)Next(128))); Op(KECCAK256); _depth--;
        }
    }

    private void Loop()
    {
        // counter = n; do { body; counter -= 1; } while (counter != 0);  (body keeps the depth)
        Push(1 + Next(5));
        int start = _code.Count;
        Op(JUMPDEST);
        int saved = _depth;
        if (Chance(50)) { Push(Constant()); Push(Constant()); Op(s_binary[Next(s_binary.Length)]); Op(POP); _depth -= 2; }
        if (Chance(40)) { Op(GAS); Op(POP); }
        if (Chance(30)) { Push(Offset()); Op(MLOAD); Op(POP); _depth--; }
        _depth = saved;
        Push(1); Op(SWAP1); Op(SUB); _depth--;
        Op(DUP1); _depth++;
        Push(start); Op(JUMPI); _depth -= 2;
        Op(POP); _depth--;
    }

    private void Jump()
    {
        int k = Next(6);
        if (k == 0)
        {
            // Static jump over some bytes to a JUMPDEST.
            int at = PushLabel(); Op(JUMP); _depth--;
            Op(INVALID);
            Patch(at, _code.Count);
            Op(JUMPDEST);
        }
        else if (k == 1)
        {
            // Dynamic jump: the target is computed (target - 5 + 5).
            Op(PUSH1 + 1); int at = _code.Count; _code.Add(0); _code.Add(0); _depth++;
            Push(5); Op(ADD); _depth--;
            Op(JUMP); _depth--;
            Op(STOP);
            int target = _code.Count;
            Op(JUMPDEST);
            int raw = target - 5;
            Patch(at, raw);
        }
        else if (k == 2)
        {
            // Conditional on a computed value, taken or not.
            EnsureDepth(1);
            Op(DUP1); _depth++;
            Op(ISZERO);
            int at = PushLabel(); Op(JUMPI); _depth -= 2;
            Push(Constant()); Op(POP); _depth--;
            Patch(at, _code.Count);
            Op(JUMPDEST);
        }
        else if (k == 3 && Chance(40))
        {
            // Invalid jump: to a byte that is not a JUMPDEST (or far outside the code).
            Push(Chance(50) ? new UInt256((ulong)_code.Count) : Constant());
            Op(Chance(50) ? JUMP : JUMPI);
            if (_code[^1] == JUMPI) { _depth--; EnsureDepth(1); _depth--; } else _depth--;
        }
        else if (k == 5)
        {
            // A checked step as compilers emit it: a JUMPI over an INVALID into a block no other static edge enters,
            // with a computed value and its DUP on the stack; when the gas left is even, a computed jump lands there
            // instead, with two constants.
            Push(Constant()); Push(Constant());
            Op(GAS); _depth++; Push(1); Op(AND); _depth--;
            int a = PushLabel(); Op(JUMPI); _depth -= 2;
            // The destination plus GAS·0: no constant to fold, so the jump stays computed.
            int t = PushLabel(); Op(GAS); _depth++; Push(0); Op(MUL); _depth--; Op(ADD); _depth--; Op(JUMP); _depth--;
            Patch(a, _code.Count);
            Op(JUMPDEST);
            Op(POP); Op(POP); _depth -= 2;
            Op(GAS); _depth++; Push(Constant()); Op(ADD); _depth--;
            Op(DUP1); _depth++;
            Op(GAS); _depth++;
            int t2 = PushLabel(); Op(JUMPI); _depth -= 2;
            Op(INVALID);
            Patch(t, _code.Count);
            Patch(t2, _code.Count);
            Op(JUMPDEST);
            Op(SUB); _depth--; // both items read where they arrive: 0, or the difference of the two constants
        }
        else if (k == 4 && Chance(50))
        {
            // A call and a return through the stack (a computed jump to the pushed return address), taken when the gas
            // left is odd, else falling through with another value into the return address's block.
            Push(Constant());
            int ret = PushLabel();
            int f = PushLabel(); Op(JUMP); _depth -= 1;
            Patch(f, _code.Count);
            Op(JUMPDEST);
            Op(GAS); _depth++; Push(1); Op(AND); _depth--;
            Op(SWAP1); Op(JUMPI); _depth -= 2;
            Op(POP); _depth--; Push(Constant());
            Patch(ret, _code.Count);
            Op(JUMPDEST);
        }
        else
        {
            Op(JUMPDEST);
        }
    }

    private void Storage()
    {
        EnsureDepth(1);
        Op(DUP1); _depth++;
        Push(new UInt256((ulong)Next(4)));
        Op(SSTORE); _depth -= 2;
        if (Chance(50)) { Push(new UInt256((ulong)Next(4))); Op(SLOAD); }
        if (Chance(20)) { Push(0); Push(new UInt256((ulong)Next(4))); Op(SSTORE); _depth -= 2; } // clears: refunds
    }

    private void Log()
    {
        int topics = Next(3);
        for (int i = 0; i < topics; i++) Push(Constant());
        Push(new UInt256((ulong)Next(64)));
        Push(new UInt256((ulong)Next(64)));
        Op((byte)(LOG0 + topics));
        _depth -= 2 + topics;
    }

    private void Call()
    {
        // CALL(gas, callee, value 0, in 0..32, out 0..32), result pushed.
        Push(32); Push(0); Push(32); Push(0); Push(0);
        Push(_callees[Next(_callees.Length)].ToWord());
        if (Chance(50)) { Op(GAS); _depth++; } else Push(new UInt256((ulong)(1000 + Next(50_000))));
        Op(CALL);
        _depth -= 6;
        if (Chance(50)) { Op(RETURNDATASIZE); _depth++; }
    }

    private void Raw()
    {
        // A random opcode, defined or not, with a random stack: may underflow or halt.
        byte op = (byte)Next(256);
        if (op is >= PUSH1 and <= PUSH32 || op is JUMP or JUMPI || op >= CREATE) op = (byte)Next(0x60);
        Op(op);
        var info = Jevm.Evm.OpcodeTable.Get(op);
        if (info is { } i) _depth = Math.Max(0, _depth - i.StackInputs + i.StackOutputs);
    }

    private void Revert()
    {
        Push(32); Push(0); Op(REVERT); _depth -= 2;
    }

    private void Epilogue()
    {
        // Store the stack to memory 0, 32, … and return it.
        int n = Math.Min(_depth, 8);
        for (int i = 0; i < n; i++) { Push(new UInt256((ulong)(32 * i))); Op(MSTORE); _depth -= 2; }
        Push(new UInt256((ulong)(32 * n))); Push(0); Op(RETURN);
    }
}
