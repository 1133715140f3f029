namespace Jevm.Evm;

/// <summary>Properties of an opcode that engines and analyses branch on.</summary>
[Flags]
public enum OpcodeFlags : ushort
{
    /// <summary>No special property.</summary>
    None = 0,
    /// <summary>Ends a basic block: STOP, RETURN, REVERT, INVALID, SELFDESTRUCT, JUMP, JUMPI (and undefined opcodes).</summary>
    Terminator = 1 << 0,
    /// <summary>JUMP or JUMPI.</summary>
    Jump = 1 << 1,
    /// <summary>JUMPDEST: starts a basic block.</summary>
    JumpDest = 1 << 2,
    /// <summary>Reads account or storage state through the host.</summary>
    ReadsState = 1 << 3,
    /// <summary>Writes state (SSTORE, TSTORE, LOG, CREATE, CALL with value, SELFDESTRUCT): forbidden in static mode.</summary>
    WritesState = 1 << 4,
    /// <summary>Needs the exact remaining gas: GAS, the CALL and CREATE families, SSTORE's 2300 sentry.</summary>
    GasObservable = 1 << 5,
    /// <summary>Charges gas beyond the static base (memory expansion, copies, hashing, EXP, LOG, cold access, calls).</summary>
    DynamicGas = 1 << 6,
    /// <summary>PUSH0–PUSH32.</summary>
    Push = 1 << 7,
    /// <summary>DUP1–DUP16.</summary>
    Dup = 1 << 8,
    /// <summary>SWAP1–SWAP16.</summary>
    Swap = 1 << 9,
    /// <summary>A nested call or create: runs another frame.</summary>
    Call = 1 << 10,
    /// <summary>Has no side effects and its result depends only on its operands (foldable, removable when unused).</summary>
    Pure = 1 << 11,
    /// <summary>Ends execution of the frame (STOP, RETURN, REVERT, INVALID, SELFDESTRUCT).</summary>
    Halts = 1 << 12,
}

/// <summary>Static description of one opcode.</summary>
/// <param name="Code">The byte value.</param>
/// <param name="Name">The mnemonic.</param>
/// <param name="ImmediateSize">Bytes of immediate data that follow (PUSHn: n).</param>
/// <param name="StackInputs">Items the opcode needs on the stack (DUPn: n, SWAPn: n+1).</param>
/// <param name="StackOutputs">Items it leaves in their place (DUPn: n+1, SWAPn: n+1).</param>
/// <param name="Introduced">The first fork in which the opcode is defined.</param>
/// <param name="Flags">Properties.</param>
public readonly record struct OpcodeInfo(byte Code, string Name, int ImmediateSize, int StackInputs, int StackOutputs, Fork Introduced, OpcodeFlags Flags)
{
    /// <summary>Net change of the stack height.</summary>
    public int StackChange => StackOutputs - StackInputs;
}

/// <summary>
/// The single source of truth for opcodes: names, immediates, stack effects, flags, and the static (base) gas per fork.
/// The interpreter, the block analysis, the IR builder and the code generator all read this table.
/// </summary>
/// <remarks>
/// The base gas is the part of an opcode's cost that is known before executing it. Since Berlin (EIP-2929) the
/// state-access opcodes have the warm cost (100) as base and add the cold surcharge dynamically. SSTORE's base is 0:
/// its whole cost depends on the slot's values.
/// </remarks>
public static class OpcodeTable
{
    /// <summary>The marker in a gas table for an opcode not defined in that fork.</summary>
    public const short Undefined = -1;

    private static readonly OpcodeInfo?[] s_infos = BuildInfos();
    private static readonly short[][] s_gas = BuildGas();

    /// <summary>The description of <paramref name="op"/>, or null when no fork defines it.</summary>
    public static OpcodeInfo? Get(byte op) => s_infos[op];

    /// <summary>The description of <paramref name="op"/> as defined in <paramref name="fork"/>, or null.</summary>
    public static OpcodeInfo? Get(byte op, Fork fork) => s_infos[op] is { } i && i.Introduced <= fork ? i : null;

    /// <summary>True when <paramref name="op"/> exists in <paramref name="fork"/>.</summary>
    public static bool IsDefined(byte op, Fork fork) => s_gas[(int)fork][op] != Undefined;

    /// <summary>
    /// The 256-entry base-gas table of <paramref name="fork"/>; <see cref="Undefined"/> marks opcodes that do not
    /// exist there (INVALID 0xFE is defined, costs 0, and halts).
    /// </summary>
    public static ReadOnlySpan<short> BaseGas(Fork fork) => s_gas[(int)fork];

    /// <summary>The mnemonic of an opcode, or "0x.." for one no fork defines (as EIP-3155 traces print them).</summary>
    public static string Name(byte op) => s_infos[op]?.Name ?? $"opcode 0x{op:x2} not defined";

    /// <summary>All opcodes some fork defines.</summary>
    public static IEnumerable<OpcodeInfo> All
    {
        get
        {
            foreach (var i in s_infos) if (i is { } v) yield return v;
        }
    }

    // Opcode byte values used by name in engines.
#pragma warning disable CS1591 // the names are the mnemonics
    public const byte STOP = 0x00, ADD = 0x01, MUL = 0x02, SUB = 0x03, DIV = 0x04, SDIV = 0x05, MOD = 0x06, SMOD = 0x07,
        ADDMOD = 0x08, MULMOD = 0x09, EXP = 0x0a, SIGNEXTEND = 0x0b,
        LT = 0x10, GT = 0x11, SLT = 0x12, SGT = 0x13, EQ = 0x14, ISZERO = 0x15, AND = 0x16, OR = 0x17, XOR = 0x18,
        NOT = 0x19, BYTE = 0x1a, SHL = 0x1b, SHR = 0x1c, SAR = 0x1d, CLZ = 0x1e,
        KECCAK256 = 0x20,
        ADDRESS = 0x30, BALANCE = 0x31, ORIGIN = 0x32, CALLER = 0x33, CALLVALUE = 0x34, CALLDATALOAD = 0x35,
        CALLDATASIZE = 0x36, CALLDATACOPY = 0x37, CODESIZE = 0x38, CODECOPY = 0x39, GASPRICE = 0x3a,
        EXTCODESIZE = 0x3b, EXTCODECOPY = 0x3c, RETURNDATASIZE = 0x3d, RETURNDATACOPY = 0x3e, EXTCODEHASH = 0x3f,
        BLOCKHASH = 0x40, COINBASE = 0x41, TIMESTAMP = 0x42, NUMBER = 0x43, PREVRANDAO = 0x44, GASLIMIT = 0x45,
        CHAINID = 0x46, SELFBALANCE = 0x47, BASEFEE = 0x48, BLOBHASH = 0x49, BLOBBASEFEE = 0x4a,
        POP = 0x50, MLOAD = 0x51, MSTORE = 0x52, MSTORE8 = 0x53, SLOAD = 0x54, SSTORE = 0x55, JUMP = 0x56,
        JUMPI = 0x57, PC = 0x58, MSIZE = 0x59, GAS = 0x5a, JUMPDEST = 0x5b, TLOAD = 0x5c, TSTORE = 0x5d,
        MCOPY = 0x5e, PUSH0 = 0x5f, PUSH1 = 0x60, PUSH32 = 0x7f, DUP1 = 0x80, DUP16 = 0x8f, SWAP1 = 0x90,
        SWAP16 = 0x9f, LOG0 = 0xa0, LOG4 = 0xa4,
        CREATE = 0xf0, CALL = 0xf1, CALLCODE = 0xf2, RETURN = 0xf3, DELEGATECALL = 0xf4, CREATE2 = 0xf5,
        STATICCALL = 0xfa, REVERT = 0xfd, INVALID = 0xfe, SELFDESTRUCT = 0xff;
#pragma warning restore CS1591

    private static OpcodeInfo?[] BuildInfos()
    {
        var t = new OpcodeInfo?[256];
        const OpcodeFlags P = OpcodeFlags.Pure;
        const OpcodeFlags D = OpcodeFlags.DynamicGas;
        const OpcodeFlags R = OpcodeFlags.ReadsState;
        const OpcodeFlags H = OpcodeFlags.Halts | OpcodeFlags.Terminator;
        void Add(byte code, string name, int inputs, int outputs, Fork fork = Fork.Frontier, OpcodeFlags flags = OpcodeFlags.None, int imm = 0)
            => t[code] = new OpcodeInfo(code, name, imm, inputs, outputs, fork, flags);

        Add(STOP, "STOP", 0, 0, flags: H);
        Add(ADD, "ADD", 2, 1, flags: P); Add(MUL, "MUL", 2, 1, flags: P); Add(SUB, "SUB", 2, 1, flags: P);
        Add(DIV, "DIV", 2, 1, flags: P); Add(SDIV, "SDIV", 2, 1, flags: P); Add(MOD, "MOD", 2, 1, flags: P);
        Add(SMOD, "SMOD", 2, 1, flags: P); Add(ADDMOD, "ADDMOD", 3, 1, flags: P); Add(MULMOD, "MULMOD", 3, 1, flags: P);
        Add(EXP, "EXP", 2, 1, flags: P | D); Add(SIGNEXTEND, "SIGNEXTEND", 2, 1, flags: P);
        Add(LT, "LT", 2, 1, flags: P); Add(GT, "GT", 2, 1, flags: P); Add(SLT, "SLT", 2, 1, flags: P);
        Add(SGT, "SGT", 2, 1, flags: P); Add(EQ, "EQ", 2, 1, flags: P); Add(ISZERO, "ISZERO", 1, 1, flags: P);
        Add(AND, "AND", 2, 1, flags: P); Add(OR, "OR", 2, 1, flags: P); Add(XOR, "XOR", 2, 1, flags: P);
        Add(NOT, "NOT", 1, 1, flags: P); Add(BYTE, "BYTE", 2, 1, flags: P);
        Add(SHL, "SHL", 2, 1, Fork.Constantinople, P); Add(SHR, "SHR", 2, 1, Fork.Constantinople, P);
        Add(SAR, "SAR", 2, 1, Fork.Constantinople, P); Add(CLZ, "CLZ", 1, 1, Fork.Osaka, P);
        Add(KECCAK256, "KECCAK256", 2, 1, flags: D);
        Add(ADDRESS, "ADDRESS", 0, 1); Add(BALANCE, "BALANCE", 1, 1, flags: R | D); Add(ORIGIN, "ORIGIN", 0, 1);
        Add(CALLER, "CALLER", 0, 1); Add(CALLVALUE, "CALLVALUE", 0, 1); Add(CALLDATALOAD, "CALLDATALOAD", 1, 1);
        Add(CALLDATASIZE, "CALLDATASIZE", 0, 1); Add(CALLDATACOPY, "CALLDATACOPY", 3, 0, flags: D);
        Add(CODESIZE, "CODESIZE", 0, 1); Add(CODECOPY, "CODECOPY", 3, 0, flags: D); Add(GASPRICE, "GASPRICE", 0, 1);
        Add(EXTCODESIZE, "EXTCODESIZE", 1, 1, flags: R | D); Add(EXTCODECOPY, "EXTCODECOPY", 4, 0, flags: R | D);
        Add(RETURNDATASIZE, "RETURNDATASIZE", 0, 1, Fork.Byzantium);
        Add(RETURNDATACOPY, "RETURNDATACOPY", 3, 0, Fork.Byzantium, D);
        Add(EXTCODEHASH, "EXTCODEHASH", 1, 1, Fork.Constantinople, R | D);
        Add(BLOCKHASH, "BLOCKHASH", 1, 1, flags: R); Add(COINBASE, "COINBASE", 0, 1); Add(TIMESTAMP, "TIMESTAMP", 0, 1);
        Add(NUMBER, "NUMBER", 0, 1); Add(PREVRANDAO, "PREVRANDAO", 0, 1); Add(GASLIMIT, "GASLIMIT", 0, 1);
        Add(CHAINID, "CHAINID", 0, 1, Fork.Istanbul); Add(SELFBALANCE, "SELFBALANCE", 0, 1, Fork.Istanbul, R);
        Add(BASEFEE, "BASEFEE", 0, 1, Fork.London); Add(BLOBHASH, "BLOBHASH", 1, 1, Fork.Cancun);
        Add(BLOBBASEFEE, "BLOBBASEFEE", 0, 1, Fork.Cancun);
        Add(POP, "POP", 1, 0); Add(MLOAD, "MLOAD", 1, 1, flags: D); Add(MSTORE, "MSTORE", 2, 0, flags: D);
        Add(MSTORE8, "MSTORE8", 2, 0, flags: D); Add(SLOAD, "SLOAD", 1, 1, flags: R | D);
        Add(SSTORE, "SSTORE", 2, 0, flags: R | OpcodeFlags.WritesState | OpcodeFlags.GasObservable | D);
        Add(JUMP, "JUMP", 1, 0, flags: OpcodeFlags.Jump | OpcodeFlags.Terminator);
        Add(JUMPI, "JUMPI", 2, 0, flags: OpcodeFlags.Jump | OpcodeFlags.Terminator);
        Add(PC, "PC", 0, 1); Add(MSIZE, "MSIZE", 0, 1); Add(GAS, "GAS", 0, 1, flags: OpcodeFlags.GasObservable);
        Add(JUMPDEST, "JUMPDEST", 0, 0, flags: OpcodeFlags.JumpDest);
        Add(TLOAD, "TLOAD", 1, 1, Fork.Cancun, R); Add(TSTORE, "TSTORE", 2, 0, Fork.Cancun, OpcodeFlags.WritesState);
        Add(MCOPY, "MCOPY", 3, 0, Fork.Cancun, D);
        Add(PUSH0, "PUSH0", 0, 1, Fork.Shanghai, OpcodeFlags.Push);
        for (int n = 1; n <= 32; n++) Add((byte)(PUSH1 + n - 1), "PUSH" + n, 0, 1, flags: OpcodeFlags.Push, imm: n);
        for (int n = 1; n <= 16; n++) Add((byte)(DUP1 + n - 1), "DUP" + n, n, n + 1, flags: OpcodeFlags.Dup);
        for (int n = 1; n <= 16; n++) Add((byte)(SWAP1 + n - 1), "SWAP" + n, n + 1, n + 1, flags: OpcodeFlags.Swap);
        for (int n = 0; n <= 4; n++) Add((byte)(LOG0 + n), "LOG" + n, n + 2, 0, flags: OpcodeFlags.WritesState | D);
        const OpcodeFlags C = OpcodeFlags.Call | OpcodeFlags.GasObservable | D | R;
        Add(CREATE, "CREATE", 3, 1, flags: C | OpcodeFlags.WritesState);
        Add(CALL, "CALL", 7, 1, flags: C);
        Add(CALLCODE, "CALLCODE", 7, 1, flags: C);
        Add(RETURN, "RETURN", 2, 0, flags: H | D);
        Add(DELEGATECALL, "DELEGATECALL", 6, 1, Fork.Homestead, C);
        Add(CREATE2, "CREATE2", 4, 1, Fork.Constantinople, C | OpcodeFlags.WritesState);
        Add(STATICCALL, "STATICCALL", 6, 1, Fork.Byzantium, C);
        Add(REVERT, "REVERT", 2, 0, Fork.Byzantium, H | D);
        Add(INVALID, "INVALID", 0, 0, flags: H);
        Add(SELFDESTRUCT, "SELFDESTRUCT", 1, 0, flags: H | R | OpcodeFlags.WritesState | D);
        return t;
    }

    private static short[][] BuildGas()
    {
        var forks = Enum.GetValues<Fork>();
        var result = new short[forks.Length][];
        short[] g = new short[256];
        Array.Fill(g, Undefined);

        // Frontier: the Yellow Paper's tiers (zero 0, base 2, very low 3, low 5, mid 8, high 10, ext 20).
        void Set(byte op, int gas) => g[op] = (short)gas;
        Set(STOP, 0);
        foreach (var op in new[] { ADD, SUB, LT, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, CALLDATALOAD, MLOAD, MSTORE, MSTORE8 }) Set(op, 3);
        foreach (var op in new[] { MUL, DIV, SDIV, MOD, SMOD, SIGNEXTEND }) Set(op, 5);
        Set(ADDMOD, 8); Set(MULMOD, 8); Set(EXP, 10);
        Set(KECCAK256, 30);
        foreach (var op in new[] { ADDRESS, ORIGIN, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, GASPRICE, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, POP, PC, MSIZE, GAS }) Set(op, 2);
        Set(CALLDATACOPY, 3); Set(CODECOPY, 3);
        Set(BALANCE, 20); Set(EXTCODESIZE, 20); Set(EXTCODECOPY, 20); Set(BLOCKHASH, 20);
        Set(SLOAD, 50); Set(SSTORE, 0); Set(JUMP, 8); Set(JUMPI, 10); Set(JUMPDEST, 1);
        for (int n = 0; n < 32; n++) Set((byte)(PUSH1 + n), 3);
        for (int n = 0; n < 16; n++) { Set((byte)(DUP1 + n), 3); Set((byte)(SWAP1 + n), 3); }
        for (int n = 0; n <= 4; n++) Set((byte)(LOG0 + n), 375 + 375 * n);
        Set(CREATE, 32000); Set(CALL, 40); Set(CALLCODE, 40); Set(RETURN, 0); Set(INVALID, 0); Set(SELFDESTRUCT, 0);

        foreach (var fork in forks)
        {
            switch (fork)
            {
                case Fork.Homestead: Set(DELEGATECALL, 40); break;
                case Fork.TangerineWhistle: // EIP-150
                    Set(BALANCE, 400); Set(EXTCODESIZE, 700); Set(EXTCODECOPY, 700); Set(SLOAD, 200);
                    Set(CALL, 700); Set(CALLCODE, 700); Set(DELEGATECALL, 700); Set(SELFDESTRUCT, 5000);
                    break;
                case Fork.Byzantium:
                    Set(RETURNDATASIZE, 2); Set(RETURNDATACOPY, 3); Set(STATICCALL, 700); Set(REVERT, 0);
                    break;
                case Fork.Constantinople:
                    Set(SHL, 3); Set(SHR, 3); Set(SAR, 3); Set(EXTCODEHASH, 400); Set(CREATE2, 32000);
                    break;
                case Fork.Istanbul: // EIP-1884, EIP-1344
                    Set(BALANCE, 700); Set(EXTCODEHASH, 700); Set(SLOAD, 800); Set(CHAINID, 2); Set(SELFBALANCE, 5);
                    break;
                case Fork.Berlin: // EIP-2929: warm access as base, the cold surcharge is dynamic
                    foreach (var op in new[] { BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SLOAD, CALL, CALLCODE, DELEGATECALL, STATICCALL }) Set(op, 100);
                    break;
                case Fork.London: Set(BASEFEE, 2); break;
                case Fork.Shanghai: Set(PUSH0, 2); break;
                case Fork.Cancun: Set(TLOAD, 100); Set(TSTORE, 100); Set(MCOPY, 3); Set(BLOBHASH, 3); Set(BLOBBASEFEE, 2); break;
                case Fork.Osaka: Set(CLZ, 5); break;
            }
            result[(int)fork] = (short[])g.Clone();
        }
        return result;
    }
}
