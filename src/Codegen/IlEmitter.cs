using System.Reflection;
using System.Reflection.Emit;

namespace Jevm.Codegen;

/// <summary>
/// One-line IL helpers named after the opcodes they emit (RegexCompiler's style), counting what RyuJIT's MinOpts
/// thresholds count: IL bytes, IL instructions, basic blocks and local references. With no <see cref="ILGenerator"/>
/// it only counts, so the compiler can size a block before choosing the region it goes into.
/// </summary>
internal sealed class IlEmitter
{
    private readonly ILGenerator? _il;

    public IlEmitter(ILGenerator? il) => _il = il;

    public bool Measuring => _il is null;
    public int Bytes;
    public int Instructions;
    public int BasicBlocks;
    public int LocalRefs;

    public void Reset() => Bytes = Instructions = BasicBlocks = LocalRefs = 0;

    private void Count(OpCode op, int operandBytes)
    {
        Bytes += op.Size + operandBytes;
        Instructions++;
        if (op.FlowControl is FlowControl.Cond_Branch) BasicBlocks++;
    }

    public Label DefineLabel() => _il?.DefineLabel() ?? default;

    public void MarkLabel(Label label)
    {
        BasicBlocks++;
        _il?.MarkLabel(label);
    }

    public LocalBuilder? DeclareLocal(Type type) => _il?.DeclareLocal(type);

    private void Emit(OpCode op) { Count(op, 0); _il?.Emit(op); }

    // Locals: index via the builder, short forms chosen by ILGenerator for us would need the index; use the
    // LocalBuilder overloads (ILGenerator picks no short form, so count the long form's 2-byte operand).
    public void Ldloc(LocalBuilder? l) { Count(OpCodes.Ldloc, 2); LocalRefs++; _il?.Emit(OpCodes.Ldloc, l!); }
    public void Stloc(LocalBuilder? l) { Count(OpCodes.Stloc, 2); LocalRefs++; _il?.Emit(OpCodes.Stloc, l!); }
    public void Ldloca(LocalBuilder? l) { Count(OpCodes.Ldloca, 2); LocalRefs++; _il?.Emit(OpCodes.Ldloca, l!); }

    public void Ldarg0() { LocalRefs++; Emit(OpCodes.Ldarg_0); }
    public void Ldarg1() { LocalRefs++; Emit(OpCodes.Ldarg_1); }
    public void Ldarg2() { LocalRefs++; Emit(OpCodes.Ldarg_2); }

    public void Ldc(int value)
    {
        if (value >= -1 && value <= 8)
        {
            Emit(value switch
            {
                -1 => OpCodes.Ldc_I4_M1, 0 => OpCodes.Ldc_I4_0, 1 => OpCodes.Ldc_I4_1, 2 => OpCodes.Ldc_I4_2,
                3 => OpCodes.Ldc_I4_3, 4 => OpCodes.Ldc_I4_4, 5 => OpCodes.Ldc_I4_5, 6 => OpCodes.Ldc_I4_6,
                7 => OpCodes.Ldc_I4_7, _ => OpCodes.Ldc_I4_8,
            });
        }
        else if (value >= sbyte.MinValue && value <= sbyte.MaxValue) { Count(OpCodes.Ldc_I4_S, 1); _il?.Emit(OpCodes.Ldc_I4_S, (sbyte)value); }
        else { Count(OpCodes.Ldc_I4, 4); _il?.Emit(OpCodes.Ldc_I4, value); }
    }

    public void LdcI8(long value)
    {
        if (value >= int.MinValue && value <= int.MaxValue) { Ldc((int)value); Emit(OpCodes.Conv_I8); }
        else { Count(OpCodes.Ldc_I8, 8); _il?.Emit(OpCodes.Ldc_I8, value); }
    }

    /// <summary>Loads an unsigned 64-bit constant (zero-extended when it fits in 32 bits).</summary>
    public void LdcU8(ulong value)
    {
        if (value <= int.MaxValue) { Ldc((int)value); Emit(OpCodes.Conv_U8); }
        else { Count(OpCodes.Ldc_I8, 8); _il?.Emit(OpCodes.Ldc_I8, unchecked((long)value)); }
    }

    public void Add() => Emit(OpCodes.Add);
    public void Sub() => Emit(OpCodes.Sub);
    public void Mul() => Emit(OpCodes.Mul);
    public void Or() => Emit(OpCodes.Or);
    public void ConvI() => Emit(OpCodes.Conv_I);
    public void ConvI4() => Emit(OpCodes.Conv_I4);
    public void ConvU8() => Emit(OpCodes.Conv_U8);
    public void Ret() => Emit(OpCodes.Ret);
    public void And() => Emit(OpCodes.And);
    public void Xor() => Emit(OpCodes.Xor);
    public void Not() => Emit(OpCodes.Not);
    public void CltUn() => Emit(OpCodes.Clt_Un);
    public void Clt() => Emit(OpCodes.Clt);
    public void CgtUn() => Emit(OpCodes.Cgt_Un);
    public void Neg() => Emit(OpCodes.Neg);
    public void Ceq() => Emit(OpCodes.Ceq);
    public void LdindI8() => Emit(OpCodes.Ldind_I8);
    public void StindI8() => Emit(OpCodes.Stind_I8);
    public void StindI1() => Emit(OpCodes.Stind_I1);
    public void Shl() => Emit(OpCodes.Shl);
    public void DivUn() => Emit(OpCodes.Div_Un);
    public void Div() => Emit(OpCodes.Div);
    public void Rem() => Emit(OpCodes.Rem);
    public void RemUn() => Emit(OpCodes.Rem_Un);
    public void Shr() => Emit(OpCodes.Shr);
    public void ShrUn() => Emit(OpCodes.Shr_Un);

    /// <summary>The <c>unaligned. 1</c> prefix for the next load or store (EVM memory words sit at any offset).</summary>
    public void Unaligned() { Count(OpCodes.Unaligned, 1); _il?.Emit(OpCodes.Unaligned, (byte)1); }
    public void LdelemI4() => Emit(OpCodes.Ldelem_I4);

    private void Branch(OpCode op, Label label) { Count(op, 4); _il?.Emit(op, label); }
    public void Br(Label l) => Branch(OpCodes.Br, l);
    public void Brtrue(Label l) => Branch(OpCodes.Brtrue, l);
    public void Brfalse(Label l) => Branch(OpCodes.Brfalse, l);
    public void Blt(Label l) => Branch(OpCodes.Blt, l);
    public void Beq(Label l) => Branch(OpCodes.Beq, l);
    public void BneUn(Label l) => Branch(OpCodes.Bne_Un, l);
    public void BgeUn(Label l) => Branch(OpCodes.Bge_Un, l);
    public void BltUn(Label l) => Branch(OpCodes.Blt_Un, l);
    public void BgtUn(Label l) => Branch(OpCodes.Bgt_Un, l);

    public void Switch(Label[] labels)
    {
        Count(OpCodes.Switch, 4 + 4 * labels.Length);
        BasicBlocks++;
        _il?.Emit(OpCodes.Switch, labels);
    }

    public void Ldfld(FieldInfo f) { Count(OpCodes.Ldfld, 4); _il?.Emit(OpCodes.Ldfld, f); }
    public void Stfld(FieldInfo f) { Count(OpCodes.Stfld, 4); _il?.Emit(OpCodes.Stfld, f); }
    public void Ldelema(Type t) { Count(OpCodes.Ldelema, 4); _il?.Emit(OpCodes.Ldelema, t); }
    public void Ldobj(Type t) { Count(OpCodes.Ldobj, 4); _il?.Emit(OpCodes.Ldobj, t); }
    public void Stobj(Type t) { Count(OpCodes.Stobj, 4); _il?.Emit(OpCodes.Stobj, t); }
    public void Newobj(ConstructorInfo c) { Count(OpCodes.Newobj, 4); _il?.Emit(OpCodes.Newobj, c); }
    public void Call(MethodInfo m) { Count(OpCodes.Call, 4); _il?.Emit(OpCodes.Call, m); }

    /// <summary><c>tail. call</c> of <paramref name="m"/> (its arguments on the stack), then <c>ret</c>.</summary>
    public void TailCall(MethodInfo? m)
    {
        Count(OpCodes.Tailcall, 0);
        Count(OpCodes.Call, 4);
        Count(OpCodes.Ret, 0);
        if (_il is null) return;
        _il.Emit(OpCodes.Tailcall);
        _il.Emit(OpCodes.Call, m!);
        _il.Emit(OpCodes.Ret);
    }
}
