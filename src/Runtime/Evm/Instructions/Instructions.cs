using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Evm;

/// <summary>
/// The semantics of every opcode, written once and shared by the interpreter and the JIT.
/// </summary>
/// <remarks>
/// Conventions (evmone's split of work between the engine and the instruction):
/// <list type="bullet">
/// <item><c>top</c> refers to the current top stack item; the item below is <c>Unsafe.Subtract(ref top, 1)</c>. An
/// instruction leaves its outputs so that they end at the new top (<c>top − inputs + outputs</c>): a binary operation
/// writes its result over its second operand, a push writes <c>Unsafe.Add(ref top, 1)</c>. The engine moves its stack
/// pointer by the opcode's <see cref="OpcodeInfo.StackChange"/>.</item>
/// <item>The engine has already checked the stack height and charged the base gas of <see cref="OpcodeTable"/>;
/// instructions charge only dynamic gas, from <c>gas</c>, and return <see cref="StatusCode.Success"/> to continue or
/// the failure status. They never throw for EVM-level failures.</item>
/// </list>
/// </remarks>
public static partial class Instructions
{
    /// <summary>Second stack item (below <paramref name="top"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref UInt256 Below(ref UInt256 top, int n) => ref Unsafe.Subtract(ref top, n);

    /// <summary>The slot above <paramref name="top"/>, where a push writes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref UInt256 Above(ref UInt256 top) => ref Unsafe.Add(ref top, 1);

    /// <summary>Number of 32-byte words covering <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Words(ulong size) => (long)((size + 31) >> 5);

    /// <summary>
    /// Charges <paramref name="perWord"/> per word of <paramref name="size"/>; false (out of gas) when it cannot be
    /// paid, including sizes beyond 64 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool ChargeWords(ref long gas, in UInt256 size, long perWord)
    {
        if (!size.FitsInUInt64 || size.U0 > (1UL << 36)) return false;
        gas -= perWord * Words(size.U0);
        return gas >= 0;
    }

    /// <summary>
    /// Copies <paramref name="source"/> from <paramref name="sourceOffset"/> into <paramref name="destination"/>, filling
    /// the part past the end of the source with zeros (CALLDATACOPY, CODECOPY, EXTCODECOPY semantics).
    /// </summary>
    internal static void CopyPadded(Span<byte> destination, ReadOnlySpan<byte> source, in UInt256 sourceOffset)
    {
        if (destination.IsEmpty) return;
        int copied = 0;
        if (sourceOffset.FitsInUInt64 && sourceOffset.U0 < (ulong)source.Length)
        {
            var src = source[(int)sourceOffset.U0..];
            copied = Math.Min(src.Length, destination.Length);
            src[..copied].CopyTo(destination);
        }
        destination[copied..].Clear();
    }
}
