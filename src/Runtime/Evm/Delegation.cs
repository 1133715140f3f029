using Jevm.Primitives;

namespace Jevm.Evm;

/// <summary>
/// EIP-7702 delegation designators (Prague): an account whose code is exactly <c>0xef0100 ‖ address</c> runs the code of
/// <c>address</c> when called. Reading opcodes (EXTCODESIZE/EXTCODECOPY/EXTCODEHASH) see the 23-byte designator itself.
/// </summary>
public static class Delegation
{
    /// <summary>The designator's length: the three-byte prefix and a 20-byte address.</summary>
    public const int DesignatorLength = 23;

    /// <summary>
    /// Gas of an authorization whose authority account does not exist yet (PER_EMPTY_ACCOUNT_COST), charged per tuple
    /// as intrinsic gas.
    /// </summary>
    public const long PerEmptyAccountCost = 25000;

    /// <summary>Gas of an authorization to an existing account (PER_AUTH_BASE_COST); the difference is refunded.</summary>
    public const long PerAuthBaseCost = 12500;

    /// <summary>The magic byte of the authorization signing hash: keccak256(MAGIC ‖ rlp([chain_id, address, nonce])).</summary>
    public const byte Magic = 0x05;

    /// <summary>True when <paramref name="code"/> is a delegation designator; <paramref name="target"/> is then its address.</summary>
    public static bool TryGetTarget(ReadOnlySpan<byte> code, out Address target)
    {
        if (code.Length == DesignatorLength && code[0] == 0xef && code[1] == 0x01 && code[2] == 0x00)
        {
            target = new Address(code[3..]);
            return true;
        }
        target = default;
        return false;
    }

    /// <summary>The designator <c>0xef0100 ‖ target</c>.</summary>
    public static byte[] Designator(in Address target)
    {
        var code = new byte[DesignatorLength];
        code[0] = 0xef;
        code[1] = 0x01;
        target.WriteTo(code.AsSpan(3));
        return code;
    }
}
