using System.Numerics;
using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Cli.Bench;

/// <summary>
/// A tiny EVM assembler for the embedded benchmark programs: mnemonics, minimal-width pushes and labels.
/// <c>Label("loop")</c> emits a JUMPDEST; <c>PushLabel("loop")</c> emits a PUSH2 patched with the label's offset at
/// <see cref="Build"/>. Opcodes come from <see cref="OpcodeTable"/>, so no opcode facts are repeated here.
/// </summary>
internal sealed class Asm
{
    private static readonly Dictionary<string, byte> s_byName = BuildNames();

    private readonly List<byte> _code = new(256);
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int At, string Label)> _fixups = [];
    private int _unique;

    /// <summary>The number of bytes emitted so far.</summary>
    public int Length => _code.Count;

    private static Dictionary<string, byte> BuildNames()
    {
        var d = new Dictionary<string, byte>(StringComparer.OrdinalIgnoreCase);
        foreach (var info in OpcodeTable.All) d[info.Name] = info.Code;
        d["SHA3"] = OpcodeTable.KECCAK256; // the pre-2020 name
        return d;
    }

    /// <summary>Emits one opcode byte (no immediate: use <see cref="Push(ulong)"/> for pushes).</summary>
    public Asm Op(byte opcode)
    {
        if (OpcodeTable.Get(opcode) is { ImmediateSize: > 0 } info)
            throw new ArgumentException($"{info.Name} takes an immediate; use Push", nameof(opcode));
        _code.Add(opcode);
        return this;
    }

    /// <summary>Emits opcodes by mnemonic, separated by white space ("DUP1 MLOAD ADD").</summary>
    public Asm Op(string mnemonics)
    {
        foreach (var m in mnemonics.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!s_byName.TryGetValue(m, out var op)) throw new ArgumentException($"unknown mnemonic '{m}'", nameof(mnemonics));
            Op(op);
        }
        return this;
    }

    /// <summary>Pushes a value with the narrowest PUSHn (PUSH1 for zero; PUSH0 is not used so programs run on every fork).</summary>
    public Asm Push(ulong value) => Push(new UInt256(value));

    /// <summary>Pushes a 256-bit value with the narrowest PUSHn.</summary>
    public Asm Push(in UInt256 value)
    {
        Span<byte> be = stackalloc byte[32];
        value.WriteBigEndian(be);
        int skip = 0;
        while (skip < 31 && be[skip] == 0) skip++;
        return PushBytes(be[skip..]);
    }

    /// <summary>Pushes a non-negative <see cref="BigInteger"/> below 2^256.</summary>
    public Asm Push(BigInteger value) => Push(UInt256.FromBigInteger(value));

    /// <summary>Emits PUSHn with exactly these bytes (1 to 32 of them, big-endian).</summary>
    public Asm PushBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(bytes), "a push takes 1 to 32 bytes");
        _code.Add((byte)(OpcodeTable.PUSH1 + bytes.Length - 1));
        foreach (var b in bytes) _code.Add(b);
        return this;
    }

    /// <summary>Defines <paramref name="name"/> here and emits its JUMPDEST.</summary>
    public Asm Label(string name)
    {
        if (!_labels.TryAdd(name, _code.Count)) throw new ArgumentException($"label '{name}' defined twice", nameof(name));
        _code.Add(OpcodeTable.JUMPDEST);
        return this;
    }

    /// <summary>Pushes the offset of <paramref name="name"/> (defined before or after) as a PUSH2.</summary>
    public Asm PushLabel(string name)
    {
        _code.Add(OpcodeTable.PUSH1 + 1);
        _fixups.Add((_code.Count, name));
        _code.Add(0);
        _code.Add(0);
        return this;
    }

    /// <summary>PUSH label, JUMP.</summary>
    public Asm Jump(string name) => PushLabel(name).Op(OpcodeTable.JUMP);

    /// <summary>PUSH label, JUMPI: jumps when the top of the stack (before the push) is non-zero.</summary>
    public Asm JumpIf(string name) => PushLabel(name).Op(OpcodeTable.JUMPI);

    /// <summary>A label name not used before, for macros that are expanded more than once.</summary>
    public string NewLabel(string stem) => $"{stem}#{_unique++}";

    /// <summary>Appends code built by <paramref name="macro"/> (for readable reuse of fragments).</summary>
    public Asm Emit(Action<Asm> macro)
    {
        macro(this);
        return this;
    }

    /// <summary>Resolves the labels and returns the bytecode.</summary>
    public byte[] Build()
    {
        var code = _code.ToArray();
        foreach (var (at, label) in _fixups)
        {
            if (!_labels.TryGetValue(label, out int target)) throw new InvalidOperationException($"label '{label}' is not defined");
            if (target > ushort.MaxValue) throw new InvalidOperationException($"label '{label}' is beyond 64 KiB");
            code[at] = (byte)(target >> 8);
            code[at + 1] = (byte)target;
        }
        return code;
    }
}
