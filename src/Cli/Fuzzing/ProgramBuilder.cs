using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Cli.Fuzzing;

/// <summary>
/// Builds structured, mostly valid programs for one fork, piece by piece: stack-balanced arithmetic on edge-biased
/// constants, DUP/SWAP shuffles, memory traffic at small and huge offsets, bounded loops, static and dynamic jumps
/// (valid and invalid, including into PUSH data), storage and transient storage, logs, calls of every kind into the
/// other generated contracts, precompiles, the sender and empty accounts with random gas and value, creates with
/// generated init code, REVERT/INVALID/SELFDESTRUCT, any opcode of the fork with random operands, and raw bytes. The
/// builder tracks the stack height it expects so that most pieces find their operands; removing pieces (shrinking)
/// keeps the program assemblable, at worst turning it into an underflow.
/// </summary>
internal sealed class ProgramBuilder
{
    private static readonly UInt256[] s_edges =
    [
        UInt256.Zero, UInt256.One, new(2), new(3), new(7), new(8), new(31), new(32), new(33), new(63), new(64), new(127),
        new(128), new(255), new(256), new(257), new(0x7f), new(0x80), new(0xff), new(0x100), new(0xffff),
        new(uint.MaxValue), new(ulong.MaxValue), new(0, 1, 0, 0), new(0, 0, 1, 0), new(0, 0, 0, 1),
        new(0, 0, 0, 1UL << 63), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 0x8000000000000000UL | 0x7fff),
        new(0x8000000000000000UL, 0, 0, 0), new(0, 0x8000000000000000UL, 0, 0),
    ];

    private static readonly byte[] s_binary = [ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, EXP, SIGNEXTEND, LT, GT, SLT, SGT, EQ, AND, OR, XOR, BYTE, SHL, SHR, SAR];
    private static readonly byte[] s_unary = [ISZERO, NOT, CLZ];
    private static readonly byte[] s_nullary =
    [
        ADDRESS, ORIGIN, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, GASPRICE, RETURNDATASIZE, COINBASE, TIMESTAMP, NUMBER,
        PREVRANDAO, GASLIMIT, CHAINID, SELFBALANCE, BASEFEE, BLOBBASEFEE, PC, MSIZE, GAS,
    ];
    private static readonly byte[][] s_definedByFork = BuildDefined();

    private static byte[][] BuildDefined()
    {
        var forks = Enum.GetValues<Fork>();
        var result = new byte[forks.Length][];
        foreach (var f in forks)
        {
            var list = new List<byte>();
            for (int op = 0; op < 256; op++) if (IsDefined((byte)op, f)) list.Add((byte)op);
            result[(int)f] = list.ToArray();
        }
        return result;
    }

    private readonly FuzzRandom _r;
    private readonly Fork _fork;
    private readonly Address[] _targets;
    private readonly List<byte> _code = new(64);
    private readonly List<int> _labels = new(2);
    private int _depth;

    /// <summary>A builder for <paramref name="fork"/> whose calls go to <paramref name="targets"/>.</summary>
    public ProgramBuilder(FuzzRandom random, Fork fork, Address[] targets)
    {
        _r = random;
        _fork = fork;
        _targets = targets;
    }

    /// <summary>
    /// A program of <paramref name="pieces"/> pieces ending with an epilogue that returns the top of the stack (or
    /// stops, reverts or just ends). Calls and creates only when <paramref name="nested"/> allows (init code does not
    /// create again, to keep cases small).
    /// </summary>
    public FuzzProgram Build(int pieces, bool allowCalls = true, bool allowCreates = true)
    {
        _depth = 0;
        var list = new List<Piece>(pieces + 1);
        for (int i = 0; i < pieces; i++) list.Add(NextPiece(allowCalls, allowCreates));
        list.Add(Epilogue());
        return new FuzzProgram(list);
    }

    /// <summary>A program of one piece of random bytes (sprinkled with JUMPDESTs and PUSHes so that some of it runs).</summary>
    public FuzzProgram BuildRaw(int maxLength)
    {
        var code = new byte[1 + _r.Next(maxLength)];
        _r.NextBytes(code);
        for (int i = 0; i < code.Length; i += 1 + _r.Next(12))
            code[i] = _r.Next(3) == 0 ? JUMPDEST : _r.Chance(50) ? (byte)(PUSH1 + _r.Next(32)) : _r.Pick(s_binary);
        return new FuzzProgram([new Piece("raw", code)]);
    }

    private bool Has(byte op) => IsDefined(op, _fork);

    // ---- assembly helpers -------------------------------------------------------------------------------------

    private void Begin() { _code.Clear(); _labels.Clear(); }

    private Piece End(string kind) => new(kind, _code.ToArray(), _labels.ToArray());

    private void Op(byte op) => _code.Add(op);

    private void Op(byte op, int stackChange) { _code.Add(op); _depth = Math.Max(0, _depth + stackChange); }

    private void Push(in UInt256 value)
    {
        int n = UInt256.ByteLength(value);
        if (n == 0 && Has(PUSH0) && _r.Chance(50)) { Op(PUSH0); _depth++; return; }
        n = Math.Max(1, n);
        // Sometimes a wider PUSH than needed (leading zeros), as compilers emit.
        if (n < 32 && _r.Chance(5)) n++;
        Op((byte)(PUSH1 + n - 1));
        Span<byte> word = stackalloc byte[32];
        value.WriteBigEndian(word);
        foreach (byte b in word[(32 - n)..]) _code.Add(b);
        _depth++;
    }

    private void Push(long value) => Push(new UInt256((ulong)value));

    private void Push(in Address a) => Push(a.ToWord());

    /// <summary>PUSH2 of a target relative to the piece's start (made absolute at layout).</summary>
    private void PushLabel(int relative)
    {
        Op(PUSH1 + 1);
        _labels.Add(_code.Count);
        _code.Add((byte)(relative >> 8));
        _code.Add((byte)relative);
        _depth++;
    }

    /// <summary>PUSH2 placeholder for a label patched later; returns the immediate's offset.</summary>
    private int PushLabelPlaceholder()
    {
        PushLabel(0);
        return _code.Count - 2;
    }

    private void PatchLabel(int at, int relative)
    {
        _code[at] = (byte)(relative >> 8);
        _code[at + 1] = (byte)relative;
    }

    private UInt256 Constant()
    {
        int k = _r.Next(100);
        if (k < 55) return s_edges[_r.Next(s_edges.Length)];
        if (k < 70) return new UInt256((ulong)_r.Next(300));
        if (k < 75)
        {
            // An edge value plus or minus a little.
            var e = s_edges[_r.Next(s_edges.Length)];
            UInt256 d = new((ulong)_r.Next(1, 3));
            UInt256 r;
            if (_r.Chance(50)) UInt256.Add(e, d, out r); else UInt256.Subtract(e, d, out r);
            return r;
        }
        Span<byte> b = stackalloc byte[32];
        _r.NextBytes(b);
        b[.._r.Next(33)].Clear();
        return UInt256.ReadBigEndian(b);
    }

    /// <summary>A negative number in two's complement: small, near the minimum, or random with the top bit set.</summary>
    private UInt256 Negative()
    {
        UInt256 magnitude = _r.Next(3) switch
        {
            0 => new UInt256((ulong)_r.Next(1, 300)),
            1 => new UInt256(0, 0, 0, 1UL << 63),
            _ => new UInt256(_r.NextUInt64(), _r.NextUInt64(), _r.NextUInt64(), _r.NextUInt64() >> 1),
        };
        UInt256.Subtract(UInt256.Zero, magnitude, out var negative);
        return negative;
    }

    /// <summary>A memory offset: mostly small, sometimes large (expensive) or huge (out of gas at once).</summary>
    private UInt256 Offset()
    {
        int k = _r.Next(100);
        if (k < 72) return new UInt256((ulong)_r.Next(256));
        if (k < 86) return new UInt256((ulong)_r.Next(1000, 5000));
        if (k < 93) return new UInt256((ulong)_r.Next(30_000, 130_000));
        if (k < 96) return new UInt256(uint.MaxValue + (ulong)_r.Next(2));
        if (k < 98) return new UInt256(0, 1, 0, 0);
        return s_edges[_r.Next(s_edges.Length)];
    }

    /// <summary>A length for copies, hashes and logs: mostly small, sometimes large.</summary>
    private UInt256 Length()
    {
        int k = _r.Next(100);
        if (k < 15) return UInt256.Zero;
        if (k < 85) return new UInt256((ulong)_r.Next(1, 100));
        if (k < 95) return new UInt256((ulong)_r.Next(100, 3000));
        return Offset();
    }

    private Address Target() => _targets.Length == 0 ? Address.FromNumber(4) : _targets[_r.Next(_targets.Length)];

    private void EnsureDepth(int n)
    {
        while (_depth < n) Push(Constant());
    }

    // ---- pieces -----------------------------------------------------------------------------------------------

    private Piece NextPiece(bool allowCalls, bool allowCreates)
    {
        Begin();
        string kind;
        int k = _r.Next(1000);
        if (k < 230) kind = Arithmetic();
        else if (k < 300) kind = Shuffle();
        else if (k < 400) kind = Memory();
        else if (k < 460) kind = Environment();
        else if (k < 520) kind = Loop();
        else if (k < 590) kind = Jump();
        else if (k < 660) kind = Storage();
        else if (k < 690) kind = Log();
        else if (k < 790 && allowCalls) kind = Call();
        else if (k < 830 && allowCreates) kind = Create();
        else if (k < 920) kind = AnyOpcode();
        else if (k < 935) kind = Raw();
        else if (k < 945) kind = Halt();
        else kind = Arithmetic();
        // Keep the stack shallow so that the epilogue shows most of it and DUP16/SWAP16 reach known items.
        while (_depth > 32) Op(POP, -1);
        return End(kind);
    }

    private string Arithmetic()
    {
        int steps = 1 + _r.Next(6);
        for (int i = 0; i < steps; i++)
        {
            int shape = _r.Next(10);
            if (shape < 7)
            {
                byte op = _r.Pick(s_binary);
                if (!Has(op)) op = ADD;
                if (_r.Chance(35))
                {
                    // Both operands fresh: signed operations get a negative second operand, shifts a shift amount
                    // near the interesting range.
                    Push(op is SDIV or SMOD or SLT or SGT or SAR or SIGNEXTEND && _r.Chance(60) ? Negative() : Constant());
                    Push(op is SHL or SHR or SAR or BYTE or SIGNEXTEND && _r.Chance(70) ? new UInt256((ulong)_r.Next(260)) : Constant());
                }
                else
                {
                    EnsureDepth(2);
                    if (_r.Chance(70)) Push(Constant());
                }
                Op(op, -1);
            }
            else if (shape < 9)
            {
                byte op = _r.Pick(s_unary);
                if (!Has(op)) op = ISZERO;
                EnsureDepth(1);
                Op(op);
            }
            else
            {
                EnsureDepth(3);
                if (_r.Chance(50)) Push(Constant());
                Op(_r.Chance(50) ? ADDMOD : MULMOD, -2);
            }
        }
        return "arith";
    }

    private string Shuffle()
    {
        EnsureDepth(1 + _r.Next(4));
        int steps = 1 + _r.Next(4);
        for (int i = 0; i < steps; i++)
        {
            if (_depth == 0) Push(Constant());
            else if (_r.Chance(50))
            {
                int n = 1 + _r.Next(Math.Min(16, _depth));
                Op((byte)(DUP1 + n - 1), +1);
            }
            else if (_depth >= 2)
            {
                int n = 1 + _r.Next(Math.Min(16, _depth - 1));
                Op((byte)(SWAP1 + n - 1));
            }
            else if (_r.Chance(30)) Op(POP, -1);
        }
        return "shuffle";
    }

    private string Memory()
    {
        switch (_r.Next(10))
        {
            case 0: case 1:
                EnsureDepth(1); Push(Offset()); Op(MSTORE, -2); break;
            case 2:
                Push(Offset()); Op(MLOAD); break;
            case 3:
                EnsureDepth(1); Push(Offset()); Op(MSTORE8, -2); break;
            case 4:
                Push(Length()); Push(Offset()); Op(KECCAK256, -1); break;
            case 5:
                Push(Length()); Push(_r.Chance(70) ? new UInt256((ulong)_r.Next(80)) : Constant()); Push(Offset()); Op(CALLDATACOPY, -3); break;
            case 6:
                Push(Length()); Push(_r.Chance(70) ? new UInt256((ulong)_r.Next(300)) : Constant()); Push(Offset()); Op(CODECOPY, -3); break;
            case 7:
                if (Has(MCOPY)) { Push(Length()); Push(Offset()); Push(Offset()); Op(MCOPY, -3); }
                else { Push(Offset()); Op(MLOAD); }
                break;
            case 8:
                if (Has(RETURNDATACOPY)) { Push(_r.Chance(50) ? UInt256.Zero : Length()); Push(new UInt256((ulong)_r.Next(40))); Push(Offset()); Op(RETURNDATACOPY, -3); }
                else { Push(Offset()); Op(MLOAD); }
                break;
            default:
                Push(Length()); Push(new UInt256((ulong)_r.Next(64))); Push(Offset()); Push(Target()); Op(EXTCODECOPY, -4); break;
        }
        return "memory";
    }

    private string Environment()
    {
        if (_r.Chance(60))
        {
            byte op = _r.Pick(s_nullary);
            if (!Has(op)) op = PC;
            Op(op, +1);
            return "env";
        }
        switch (_r.Next(6))
        {
            case 0: Push(Target()); Op(BALANCE); break;
            case 1: Push(Target()); Op(EXTCODESIZE); break;
            case 2: Push(Target()); Op(Has(EXTCODEHASH) ? EXTCODEHASH : EXTCODESIZE); break;
            case 3: Push(_r.Chance(50) ? UInt256.Zero : Constant()); Op(BLOCKHASH); break;
            case 4: Push(_r.Chance(70) ? new UInt256((ulong)_r.Next(70)) : Constant()); Op(CALLDATALOAD); break;
            default: Push(_r.Chance(70) ? new UInt256((ulong)_r.Next(3)) : Constant()); Op(Has(BLOBHASH) ? BLOBHASH : CALLDATALOAD); break;
        }
        return "env";
    }

    private string Loop()
    {
        // counter = n; do { body } while (--counter != 0); the body keeps the height.
        Push(_r.Chance(90) ? 1 + _r.Next(6) : 20 + _r.Next(200));
        int start = _code.Count;
        Op(JUMPDEST);
        int bodyParts = 1 + _r.Next(3);
        for (int i = 0; i < bodyParts; i++)
        {
            switch (_r.Next(6))
            {
                case 0: Push(Constant()); Push(Constant()); Op(_r.Pick(s_binary) is var b && Has(b) ? b : ADD, -1); Op(POP, -1); break;
                case 1: Op(GAS, +1); Op(POP, -1); break;
                case 2: Push(Offset()); Op(MLOAD); Op(POP, -1); break;
                case 3: Op(DUP1, +1); Push(_r.Next(4)); Op(SSTORE, -2); break;
                case 4: Op(DUP1, +1); Push(Offset()); Op(MSTORE, -2); break;
                default: Push(Length()); Push(new UInt256((ulong)_r.Next(64))); Op(KECCAK256, -1); Op(POP, -1); break;
            }
        }
        Push(1); Op(SWAP1); Op(SUB, -1);
        Op(DUP1, +1);
        PushLabel(start);
        Op(JUMPI, -2);
        Op(POP, -1);
        return "loop";
    }

    private string Jump()
    {
        switch (_r.Next(9))
        {
            case 0:
            {
                // Static jump over a byte that would fail.
                int at = PushLabelPlaceholder(); Op(JUMP, -1);
                Op(_r.Chance(50) ? INVALID : (byte)_r.Next(256));
                PatchLabel(at, _code.Count);
                Op(JUMPDEST);
                break;
            }
            case 1:
            {
                // Dynamic jump: the target is computed (target - d + d).
                int d = 1 + _r.Next(40);
                int at = PushLabelPlaceholder();
                Push(d); Op(ADD, -1);
                Op(JUMP, -1);
                Op(STOP);
                PatchLabel(at, _code.Count - d);
                Op(JUMPDEST);
                break;
            }
            case 2:
            {
                // Conditional on a value from the stack, taken or not.
                EnsureDepth(1);
                Op(DUP1, +1);
                if (_r.Chance(50)) Op(ISZERO);
                int at = PushLabelPlaceholder(); Op(JUMPI, -2);
                Push(Constant()); Op(POP, -1);
                PatchLabel(at, _code.Count);
                Op(JUMPDEST);
                break;
            }
            case 3:
            {
                // Into PUSH data that holds a 0x5b byte: not a JUMPDEST.
                bool conditional = _r.Chance(30);
                if (conditional) Push(1);
                int at = PushLabelPlaceholder(); Op(conditional ? JUMPI : JUMP, conditional ? -2 : -1);
                Op(PUSH1); int data = _code.Count; _code.Add(JUMPDEST); _depth++;
                PatchLabel(at, data);
                break;
            }
            case 4:
            {
                // To a random or out-of-range target.
                Push(_r.Chance(50) ? new UInt256((ulong)_r.Next(2000)) : Constant());
                if (_r.Chance(60)) Op(JUMP, -1);
                else { EnsureDepth(2); Op(SWAP1); Op(JUMPI, -2); }
                break;
            }
            case 5:
            {
                // JUMPI not taken to an invalid target: harmless.
                Push(0); Push(_r.Chance(50) ? Constant() : new UInt256(3)); Op(JUMPI, -2);
                break;
            }
            case 6:
            {
                // A call and a return through the stack, as compiled functions return: the return address pushed here,
                // the "function" jumps back to it when a run-time value is odd or non-zero (a computed jump), else
                // falls through with another value into the same place — a block a computed jump lands on, also fallen
                // into (the IR may assume what arrives on its stack only where no computed jump lands).
                Push(Constant());
                int ret = PushLabelPlaceholder();
                int f = PushLabelPlaceholder(); Op(JUMP, -1);
                PatchLabel(f, _code.Count);
                Op(JUMPDEST);
                if (_r.Chance(50)) Op(CALLDATASIZE, +1);
                else { Op(GAS, +1); Push(1); Op(AND, -1); }
                Op(SWAP1); Op(JUMPI, -2);
                Op(POP, -1); Push(Constant());
                PatchLabel(ret, _code.Count);
                Op(JUMPDEST);
                break;
            }
            case 7:
            {
                // A checked step as compilers emit it: a JUMPI over an INVALID into a block no other static edge enters,
                // with a computed value and its DUP on the stack, read there by a SUB; when the gas left is even, a
                // computed jump lands there instead, with two other values.
                Push(Constant()); Push(Constant());
                Op(GAS, +1); Push(1); Op(AND, -1);
                int a = PushLabelPlaceholder(); Op(JUMPI, -2);
                // The destination plus GAS·0: no constant to fold, so the jump stays computed.
                int t = PushLabelPlaceholder(); Op(GAS, +1); Push(0); Op(MUL, -1); Op(ADD, -1); Op(JUMP, -1);
                PatchLabel(a, _code.Count);
                Op(JUMPDEST);
                Op(POP, -1); Op(POP, -1);
                Op(GAS, +1); Push(Constant()); Op(ADD, -1);
                Op(DUP1, +1);
                Op(GAS, +1);
                int taken = PushLabelPlaceholder(); Op(JUMPI, -2);
                Op(INVALID);
                PatchLabel(t, _code.Count);
                PatchLabel(taken, _code.Count);
                Op(JUMPDEST);
                Op(SUB, -1); // both items read where they arrive: 0, or the difference of the two others
                break;
            }
            default:
                Op(JUMPDEST);
                break;
        }
        return "jump";
    }

    private string Storage()
    {
        int k = _r.Next(10);
        UInt256 Key() => _r.Chance(85) ? new UInt256((ulong)_r.Next(4)) : Constant();
        UInt256 Value()
        {
            int v = _r.Next(10);
            return v < 3 ? UInt256.Zero : v < 6 ? new UInt256((ulong)_r.Next(1, 4)) : Constant();
        }
        if (k < 4) { Push(Value()); Push(Key()); Op(SSTORE, -2); }
        else if (k < 6) { EnsureDepth(1); Op(DUP1, +1); Push(Key()); Op(SSTORE, -2); }
        else if (k < 8) { Push(Key()); Op(SLOAD); }
        else if (Has(TSTORE))
        {
            if (_r.Chance(50)) { Push(Value()); Push(Key()); Op(TSTORE, -2); }
            else { Push(Key()); Op(TLOAD); }
        }
        else { Push(Key()); Op(SLOAD); }
        return "storage";
    }

    private string Log()
    {
        int topics = _r.Next(5);
        for (int i = 0; i < topics; i++) Push(Constant());
        Push(_r.Chance(85) ? new UInt256((ulong)_r.Next(80)) : Length());
        Push(_r.Chance(85) ? new UInt256((ulong)_r.Next(80)) : Offset());
        Op((byte)(LOG0 + topics), -(2 + topics));
        return "log";
    }

    private UInt256 CallGas()
    {
        int k = _r.Next(10);
        if (k < 4) return UInt256.MaxValue; // placeholder: GAS is emitted instead
        if (k < 6) return new UInt256((ulong)_r.Next(0, 3000));
        if (k < 9) return new UInt256((ulong)_r.Next(3000, 200_000));
        return Constant();
    }

    private UInt256 CallValue()
    {
        int k = _r.Next(10);
        if (k < 6) return UInt256.Zero;
        if (k < 8) return UInt256.One;
        if (k < 9) return new UInt256((ulong)_r.Next(1, 1_000_000));
        return Constant();
    }

    private void PushCallGas()
    {
        var g = CallGas();
        if (g == UInt256.MaxValue) Op(GAS, +1); else Push(g);
    }

    private string Call()
    {
        byte kind = _r.Next(10) switch
        {
            < 5 => CALL,
            5 => CALLCODE,
            6 or 7 => Has(DELEGATECALL) ? DELEGATECALL : CALL,
            _ => Has(STATICCALL) ? STATICCALL : CALL,
        };
        // Some input in memory first.
        if (_r.Chance(40)) { Push(Constant()); Push(new UInt256((ulong)_r.Next(64))); Op(MSTORE, -2); }
        Push(_r.Chance(80) ? new UInt256((ulong)_r.Next(64)) : Length());  // retSize
        Push(_r.Chance(85) ? new UInt256((ulong)_r.Next(64)) : Offset());  // retOffset
        Push(_r.Chance(80) ? new UInt256((ulong)_r.Next(128)) : Length()); // argsSize
        Push(_r.Chance(85) ? new UInt256((ulong)_r.Next(64)) : Offset());  // argsOffset
        if (kind is CALL or CALLCODE) Push(CallValue());
        Push(Target());
        PushCallGas();
        Op(kind, kind is CALL or CALLCODE ? -6 : -5);
        if (Has(RETURNDATASIZE) && _r.Chance(40)) Op(RETURNDATASIZE, +1);
        return "call";
    }

    private string Create()
    {
        var init = InitCode();
        int memory = _r.Next(3) * 32;
        Span<byte> word = stackalloc byte[32];
        for (int i = 0; i < init.Length; i += 32)
        {
            word.Clear();
            init.AsSpan(i, Math.Min(32, init.Length - i)).CopyTo(word);
            Push(UInt256.ReadBigEndian(word));
            Push(memory + i);
            Op(MSTORE, -2);
        }
        bool create2 = Has(CREATE2) && _r.Chance(40);
        if (create2) Push(_r.Chance(60) ? new UInt256((ulong)_r.Next(3)) : Constant()); // salt
        Push(_r.Chance(90) ? init.Length : init.Length + _r.Next(1, 64)); // size
        Push(memory);
        Push(CallValue());
        Op(create2 ? CREATE2 : CREATE, create2 ? -3 : -2);
        if (_r.Chance(50))
        {
            // Call the new contract (or the zero address when the creation failed).
            Push(32); Push(0); Push(_r.Next(64)); Push(0); Push(_r.Chance(70) ? UInt256.Zero : UInt256.One);
            Op(DUP1 + 5, +1); // the created address
            PushCallGas();
            Op(CALL, -6);
        }
        return create2 ? "create2" : "create";
    }

    /// <summary>Init code: deploys a generated runtime, runs a generated program, reverts, or deploys bad code.</summary>
    private byte[] InitCode()
    {
        int k = _r.Next(10);
        if (k < 5)
        {
            // Returns a small generated runtime (copied from its own code).
            var sub = new ProgramBuilder(_r, _fork, _targets).Build(1 + _r.Next(3), allowCalls: _r.Chance(30), allowCreates: false).Render();
            var prefix = new byte[] { PUSH1 + 1, (byte)(sub.Length >> 8), (byte)sub.Length, DUP1, PUSH1, 12, PUSH1, 0, CODECOPY, PUSH1, 0, RETURN };
            return [.. prefix, .. sub];
        }
        if (k < 8) return new ProgramBuilder(_r, _fork, _targets).Build(1 + _r.Next(3), allowCalls: _r.Chance(30), allowCreates: false).Render();
        if (k < 9) return [PUSH1, 0, PUSH1, 0, REVERT];
        return _r.Next(3) switch
        {
            0 => [PUSH1, 0xef, PUSH1, 0, MSTORE8, PUSH1, 1, PUSH1, 0, RETURN], // EIP-3541: code starting with 0xEF
            1 => [PUSH1 + 1, 0x60, 0x01, PUSH1, 0, RETURN],                      // EIP-170: 24577 bytes of code
            _ => [PUSH1, 0, PUSH1, 0, RETURN],                                   // empty code
        };
    }

    private string AnyOpcode()
    {
        var defined = s_definedByFork[(int)_fork];
        byte op = defined[_r.Next(defined.Length)];
        var info = OpcodeTable.Get(op)!.Value;
        // Operands: mostly small numbers (offsets and sizes that work), some edge values.
        for (int i = 0; i < info.StackInputs && _depth < info.StackInputs; i++)
            Push(_r.Chance(60) ? new UInt256((ulong)_r.Next(64)) : _r.Chance(50) ? Constant() : Target().ToWord());
        Op(op);
        for (int i = 0; i < info.ImmediateSize; i++) _code.Add((byte)_r.Next(256));
        _depth = Math.Max(0, _depth + info.StackChange);
        return "op:" + info.Name;
    }

    private string Raw()
    {
        int n = 1 + _r.Next(8);
        for (int i = 0; i < n; i++)
        {
            byte b = (byte)_r.Next(256);
            // No backward jumps into a loop forever: JUMP/JUMPI only to random (mostly invalid) places is fine, gas bounds it.
            _code.Add(b);
        }
        _depth = 0;
        return "raw";
    }

    private string Halt()
    {
        switch (_r.Next(5))
        {
            case 0: Push(Length()); Push(Offset()); Op(REVERT, -2); return "revert";
            case 1: Op(INVALID); return "invalid";
            case 2: Push(Target()); Op(SELFDESTRUCT, -1); return "selfdestruct";
            case 3: Op(STOP); return "stop";
            default: Push(Length()); Push(Offset()); Op(RETURN, -2); return "return";
        }
    }

    private Piece Epilogue()
    {
        Begin();
        int k = _r.Next(10);
        if (k == 9) return End("end"); // falls off the end: STOP
        int n = Math.Min(_depth, 1 + _r.Next(8));
        for (int i = 0; i < n; i++) { Push(32 * i); Op(MSTORE, -2); }
        Push(32 * Math.Max(n, 1)); Push(0);
        if (k < 7 || !Has(REVERT)) Op(RETURN, -2);
        else if (k < 8) Op(REVERT, -2);
        else { Op(POP, -1); Op(POP, -1); Op(STOP); }
        return End("epilogue");
    }
}
