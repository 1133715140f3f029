namespace Jevm.Evm;

/// <summary>
/// Every gas constant that is not an opcode's base cost (those live in <see cref="OpcodeTable"/>), each with the EIP or
/// specification it comes from.
/// </summary>
public static class GasCosts
{
    /// <summary>Memory expansion: 3 gas per 32-byte word (Yellow Paper G_memory), plus words²/512.</summary>
    public const long MemoryWord = 3;
    /// <summary>The quadratic divisor of memory expansion (Yellow Paper G_quaddivisor).</summary>
    public const long MemoryQuadDivisor = 512;
    /// <summary>Per word copied by CALLDATACOPY, CODECOPY, EXTCODECOPY, RETURNDATACOPY, MCOPY (G_copy).</summary>
    public const long CopyWord = 3;
    /// <summary>Per word hashed by KECCAK256 (G_keccak256word).</summary>
    public const long Keccak256Word = 6;
    /// <summary>EXP per byte of exponent before Spurious Dragon (G_expbyte).</summary>
    public const long ExpByteFrontier = 10;
    /// <summary>EXP per byte of exponent from Spurious Dragon (EIP-160).</summary>
    public const long ExpByteEip160 = 50;
    /// <summary>LOG per byte of data (G_logdata).</summary>
    public const long LogData = 8;

    /// <summary>SLOAD before EIP-150.</summary>
    public const long SloadFrontier = 50;
    /// <summary>SLOAD from EIP-150.</summary>
    public const long SloadEip150 = 200;
    /// <summary>SLOAD from Istanbul (EIP-1884); also EIP-2200's SLOAD_GAS.</summary>
    public const long SloadEip1884 = 800;
    /// <summary>SSTORE setting a zero slot to non-zero (G_sset).</summary>
    public const long SstoreSet = 20000;
    /// <summary>SSTORE any other change before Berlin (G_sreset).</summary>
    public const long SstoreReset = 5000;
    /// <summary>SSTORE refund for clearing a slot (R_sclear), until London.</summary>
    public const long SstoreClearRefund = 15000;
    /// <summary>SSTORE refund for clearing a slot from London (EIP-3529: SSTORE_RESET_GAS + ACCESS_LIST_STORAGE_KEY_COST).</summary>
    public const long SstoreClearRefundEip3529 = 4800;
    /// <summary>EIP-1283's cost of a no-op or dirty SSTORE (Constantinople only).</summary>
    public const long SstoreDirtyEip1283 = 200;
    /// <summary>EIP-2200: SSTORE fails when no more than this much gas is left (the call stipend).</summary>
    public const long SstoreSentryEip2200 = 2300;

    /// <summary>EIP-2929: access to a cold account (BALANCE, EXT*, CALL family, SELFDESTRUCT beneficiary).</summary>
    public const long ColdAccountAccess = 2600;
    /// <summary>EIP-2929: first SLOAD/SSTORE of a slot in the transaction.</summary>
    public const long ColdSload = 2100;
    /// <summary>EIP-2929: a warm account or slot read.</summary>
    public const long WarmStorageRead = 100;
    /// <summary>EIP-2929: the cold surcharge over the warm base for accounts (2600 − 100).</summary>
    public const long ColdAccountSurcharge = ColdAccountAccess - WarmStorageRead;
    /// <summary>EIP-2929: the cold surcharge over the warm base for SLOAD (2100 − 100).</summary>
    public const long ColdSloadSurcharge = ColdSload - WarmStorageRead;

    /// <summary>CALL/CALLCODE with non-zero value (G_callvalue).</summary>
    public const long CallValue = 9000;
    /// <summary>Gas given free to the callee of a value transfer (G_callstipend).</summary>
    public const long CallStipend = 2300;
    /// <summary>CALL creating a new account, and SELFDESTRUCT to a new account from EIP-150 (G_newaccount).</summary>
    public const long NewAccount = 25000;
    /// <summary>EIP-150: a call may pass at most all but one 64th of the remaining gas.</summary>
    public const long CallGasDivisor = 64;

    /// <summary>CREATE2 per word of init code hashed (EIP-1014).</summary>
    public const long Create2HashWord = 6;
    /// <summary>EIP-3860: per word of init code (Shanghai).</summary>
    public const long InitCodeWord = 2;
    /// <summary>EIP-3860: maximum init code size (2 × EIP-170's 24576).</summary>
    public const int MaxInitCodeSize = 49152;
    /// <summary>EIP-170: maximum deployed code size.</summary>
    public const int MaxCodeSize = 24576;
    /// <summary>Code deposit per byte of created code (G_codedeposit).</summary>
    public const long CodeDeposit = 200;

    /// <summary>SELFDESTRUCT refund before London (R_selfdestruct); EIP-3529 removed it.</summary>
    public const long SelfDestructRefund = 24000;

    /// <summary>The maximum call depth (Yellow Paper; EIP-150 made it practically unreachable by gas).</summary>
    public const int MaxCallDepth = 1024;
    /// <summary>The maximum number of stack items.</summary>
    public const int MaxStackHeight = 1024;
    /// <summary>BLOCKHASH sees only this many most recent blocks.</summary>
    public const long BlockHashWindow = 256;
}
