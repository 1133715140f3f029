using System.Numerics;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.State;

/// <summary>What happened to a transaction.</summary>
public sealed class TransactionResult
{
    /// <summary>Null for a valid transaction; otherwise why it was rejected (state unchanged), named as the test fixtures do.</summary>
    public string? Error { get; init; }
    /// <summary>How the top-level frame ended.</summary>
    public StatusCode Status { get; init; }
    /// <summary>Gas charged to the sender after the refund.</summary>
    public long GasUsed { get; init; }
    /// <summary>The top-level frame's output.</summary>
    public byte[] Output { get; init; } = [];
    /// <summary>The first unimplemented precompile that was called, if any (results are then not meaningful).</summary>
    public Address? UnimplementedPrecompile { get; init; }
    /// <summary>An engine or host exception that ended the transaction (<see cref="StatusCode.InternalError"/>).</summary>
    public Exception? InternalError { get; init; }

    /// <summary>True when the transaction was rejected before execution.</summary>
    public bool IsInvalid => Error is not null;
}

/// <summary>
/// Validates and executes transactions of types 0–3 on a <see cref="WorldState"/>: intrinsic gas, fee and blob rules,
/// gas purchase, pre-warming, execution on an engine, refunds, fees to the coinbase, burning, EIP-161 clean-up.
/// </summary>
public static class TransactionProcessor
{
    /// <summary>Gas of one blob (EIP-4844 GAS_PER_BLOB).</summary>
    public const ulong GasPerBlob = 131072;

    /// <summary>EIP-3860: the largest init code of a creation (2 × EIP-170's 24576).</summary>
    public const int MaxInitCodeSize = 49152;

    /// <summary>
    /// The intrinsic gas of a transaction: 21000 (+32000 for a creation from Homestead), calldata 4 per zero byte and
    /// 68 per other byte (16 from Istanbul, EIP-2028), 2400 per access-list address and 1900 per key (EIP-2930), and for
    /// creations from Shanghai 2 per 32-byte word of init code (EIP-3860).
    /// </summary>
    public static long IntrinsicGas(Fork fork, ReadOnlySpan<byte> data, bool isCreate, int accessListAddresses, int accessListKeys) =>
        IntrinsicGas(fork, data, isCreate, accessListAddresses, accessListKeys, 0);

    /// <summary>
    /// The intrinsic gas as <see cref="IntrinsicGas(Fork, ReadOnlySpan{byte}, bool, int, int)"/>, plus EIP-7702's
    /// PER_EMPTY_ACCOUNT_COST (25000) per authorization tuple of a type-4 transaction.
    /// </summary>
    public static long IntrinsicGas(Fork fork, ReadOnlySpan<byte> data, bool isCreate, int accessListAddresses, int accessListKeys, int authorizations)
    {
        long gas = 21000;
        if (isCreate && fork >= Fork.Homestead) gas += 32000;
        int zeros = data.Count((byte)0);
        int nonZeros = data.Length - zeros;
        gas += zeros * 4L + nonZeros * (fork >= Fork.Istanbul ? 16L : 68L);
        gas += accessListAddresses * 2400L + accessListKeys * 1900L;
        if (isCreate && fork >= Fork.Shanghai) gas += 2L * ((data.Length + 31) / 32);
        gas += authorizations * Delegation.PerEmptyAccountCost;
        return gas;
    }

    /// <summary>EIP-7623 (Prague): the floor on gas used, 21000 + 10 per calldata token (zero byte 1, other byte 4).</summary>
    public static long CalldataFloorGas(ReadOnlySpan<byte> data)
    {
        int zeros = data.Count((byte)0);
        long tokens = zeros + (data.Length - zeros) * 4L;
        return 21000 + 10 * tokens;
    }

    /// <summary>The most blobs in a block (and so in a transaction) in <paramref name="fork"/>.</summary>
    public static int MaxBlobsPerBlock(Fork fork) => fork >= Fork.Prague ? 9 : 6;

    /// <summary>BLOB_BASE_FEE_UPDATE_FRACTION of the fork (EIP-4844: 3338477; EIP-7691, Prague: 5007716).</summary>
    public static ulong BlobBaseFeeUpdateFraction(Fork fork) => fork >= Fork.Prague ? 5007716UL : 3338477UL;

    /// <summary>The blob base fee: fake_exponential(MIN_BLOB_GASPRICE = 1, excess, update fraction) (EIP-4844).</summary>
    public static UInt256 BlobBaseFee(ulong excessBlobGas, Fork fork = Fork.Cancun) =>
        UInt256.FromBigInteger(FakeExponential(BigInteger.One, excessBlobGas, BlobBaseFeeUpdateFraction(fork)));

    /// <summary>EIP-4844's fake_exponential: an integer approximation of factor · e^(numerator / denominator).</summary>
    public static BigInteger FakeExponential(BigInteger factor, BigInteger numerator, BigInteger denominator)
    {
        BigInteger output = 0;
        BigInteger accumulator = factor * denominator;
        for (int i = 1; accumulator > 0; i++)
        {
            output += accumulator;
            accumulator = accumulator * numerator / (denominator * i);
        }
        return output / denominator;
    }

    /// <summary>The price per gas the sender pays: the gas price, or min(maxFee, baseFee + priorityFee) (EIP-1559).</summary>
    public static UInt256 EffectiveGasPrice(Transaction tx, in UInt256 baseFee)
    {
        if (!tx.HasDynamicFee) return tx.GasPrice;
        UInt256.Add(baseFee, tx.MaxPriorityFeePerGas, out var sum);
        return sum < tx.MaxFeePerGas ? sum : tx.MaxFeePerGas;
    }

    /// <summary>Checks <paramref name="tx"/> against the state and block; returns null or the reason it is invalid.</summary>
    public static string? Validate(WorldState state, Transaction tx, BlockEnvironment block, Fork fork)
    {
        if (tx.Type == 1 && fork < Fork.Berlin || tx.Type == 2 && fork < Fork.London || tx.Type == 3 && fork < Fork.Cancun
            || tx.Type == 4 && fork < Fork.Prague || tx.Type > 4)
            return "TransactionException.TYPE_NOT_SUPPORTED";
        if (tx.Type == 4)
        {
            if (tx.IsCreate) return "TransactionException.TYPE_4_TX_CONTRACT_CREATION";
            if (tx.Authorizations.Length == 0) return "TransactionException.TYPE_4_EMPTY_AUTHORIZATION_LIST";
        }
        if (fork >= Fork.Osaka && tx.GasLimit > (1L << 24)) return "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM";
        if (tx.GasLimit > block.GasLimit) return "TransactionException.GAS_ALLOWANCE_EXCEEDED";

        var sender = state.Get(tx.Sender);
        ulong nonce = sender?.Nonce ?? 0;
        if (nonce == ulong.MaxValue) return "TransactionException.NONCE_IS_MAX";
        if (tx.Nonce < nonce) return "TransactionException.NONCE_TOO_LOW";
        if (tx.Nonce > nonce) return "TransactionException.NONCE_TOO_HIGH";
        // EIP-3607; from Prague an account whose code is a delegation designator still sends transactions (EIP-7702).
        if (sender is not null && sender.Code.Length != 0 && !(fork >= Fork.Prague && Delegation.TryGetTarget(sender.Code, out _)))
            return "TransactionException.SENDER_NOT_EOA";

        if (fork >= Fork.London)
        {
            UInt256 feeCap = tx.HasDynamicFee ? tx.MaxFeePerGas : tx.GasPrice;
            if (tx.HasDynamicFee && tx.MaxPriorityFeePerGas > tx.MaxFeePerGas) return "TransactionException.PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS";
            if (feeCap < block.BaseFee) return "TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS";
        }

        BigInteger blobGas = 0;
        if (tx.Type == 3)
        {
            if (tx.IsCreate) return "TransactionException.TYPE_3_TX_CONTRACT_CREATION";
            if (tx.BlobVersionedHashes.Length == 0) return "TransactionException.TYPE_3_TX_ZERO_BLOBS";
            if (tx.BlobVersionedHashes.Length > MaxBlobsPerBlock(fork)) return "TransactionException.TYPE_3_TX_BLOB_COUNT_EXCEEDED";
            Span<byte> h = stackalloc byte[32];
            foreach (var hash in tx.BlobVersionedHashes)
            {
                hash.WriteTo(h);
                if (h[0] != 0x01) return "TransactionException.TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH";
            }
            if (tx.MaxFeePerBlobGas < BlobBaseFee(block.ExcessBlobGas, fork)) return "TransactionException.INSUFFICIENT_MAX_FEE_PER_BLOB_GAS";
            blobGas = (BigInteger)GasPerBlob * tx.BlobVersionedHashes.Length;
        }

        // Balance: gasLimit · feeCap + value (+ blobGas · maxFeePerBlobGas), computed without overflow.
        var balance = state.GetBalance(tx.Sender).ToBigInteger();
        var feeCapBig = (tx.HasDynamicFee ? tx.MaxFeePerGas : tx.GasPrice).ToBigInteger();
        var required = tx.GasLimit * feeCapBig + tx.Value.ToBigInteger() + blobGas * tx.MaxFeePerBlobGas.ToBigInteger();
        if (balance < required) return "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS";

        int keys = 0;
        foreach (var e in tx.AccessList) keys += e.StorageKeys.Length;
        long intrinsic = IntrinsicGas(fork, tx.Data, tx.IsCreate, tx.AccessList.Length, keys, tx.Authorizations.Length);
        if (fork >= Fork.Prague) intrinsic = Math.Max(intrinsic, CalldataFloorGas(tx.Data));
        if (tx.GasLimit < intrinsic) return "TransactionException.INTRINSIC_GAS_TOO_LOW";
        if (tx.IsCreate && fork >= Fork.Shanghai && tx.Data.Length > MaxInitCodeSize) return "TransactionException.INITCODE_SIZE_EXCEEDED";
        return null;
    }

    /// <summary>
    /// Applies an EIP-7702 authorization list in order. A tuple is skipped (not an error) when its chain id is neither 0
    /// nor <paramref name="chainId"/>, its nonce is 2^64−1 or more, its signature is invalid (y parity not 0/1, r not
    /// in (0, n), s not in (0, n/2]), the authority has code that is not a designator, or the authority's nonce differs.
    /// Otherwise the authority is warmed, gets the designator (or no code for the zero address) and its nonce bumped.
    /// Returns the refund: PER_EMPTY_ACCOUNT_COST − PER_AUTH_BASE_COST for every applied tuple whose authority existed.
    /// </summary>
    public static long ApplyAuthorizations(WorldState state, ReadOnlySpan<AuthorizationTuple> authorizations, in UInt256 chainId)
    {
        long refund = 0;
        foreach (var auth in authorizations)
        {
            if (!auth.ChainId.IsZero && auth.ChainId != chainId) continue;
            if (!auth.Nonce.FitsInUInt64 || auth.Nonce.U0 == ulong.MaxValue) continue;
            if (!TryRecoverAuthority(auth, out var authority)) continue;
            state.WarmAccount(authority);
            var code = state.GetCode(authority);
            if (code.Length != 0 && !Delegation.TryGetTarget(code, out _)) continue;
            if (state.GetNonce(authority) != auth.Nonce.U0) continue;
            if (state.Exists(authority)) refund += Delegation.PerEmptyAccountCost - Delegation.PerAuthBaseCost;
            state.SetCode(authority, auth.Address == Address.Zero ? [] : Delegation.Designator(auth.Address));
            state.SetNonce(authority, auth.Nonce.U0 + 1);
        }
        return refund;
    }

    // secp256k1's group order n and n/2 (EIP-2: s above n/2 is not accepted).
    private static readonly UInt256 s_secp256k1N = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    private static readonly UInt256 s_secp256k1HalfN = UInt256.Parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    /// <summary>
    /// Recovers the authority of an EIP-7702 tuple: the signer of keccak256(0x05 ‖ rlp([chain_id, address, nonce])).
    /// False when the signature is invalid.
    /// </summary>
    public static bool TryRecoverAuthority(AuthorizationTuple auth, out Address authority)
    {
        authority = default;
        if (!auth.YParity.FitsInUInt64 || auth.YParity.U0 > 1) return false;
        if (auth.R.IsZero || auth.R >= s_secp256k1N || auth.S.IsZero || auth.S > s_secp256k1HalfN) return false;
        var w = new RlpWriter(96);
        w.WriteRaw([Delegation.Magic]);
        int list = w.StartList();
        w.Write(auth.ChainId);
        w.Write(auth.Address);
        w.Write(auth.Nonce);
        w.EndList(list);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(w.Written, hash);
        Span<byte> r = stackalloc byte[32];
        Span<byte> s = stackalloc byte[32];
        auth.R.WriteBigEndian(r);
        auth.S.WriteBigEndian(s);
        Span<byte> address = stackalloc byte[20];
        if (!EcRecoverPrecompile.TryRecoverAddress(hash, (int)auth.YParity.U0, r, s, address)) return false;
        authority = new Address(address);
        return true;
    }

    /// <summary>
    /// Validates and executes <paramref name="tx"/>; an invalid transaction leaves <paramref name="state"/> as it was.
    /// </summary>
    public static TransactionResult Execute(WorldState state, Transaction tx, BlockEnvironment block, Fork fork, IExecutionEngine engine)
    {
        state.BeginTransaction();
        var error = Validate(state, tx, block, fork);
        if (error is not null) return new TransactionResult { Error = error, Status = StatusCode.InternalError };

        UInt256 baseFee = fork >= Fork.London ? block.BaseFee : UInt256.Zero;
        UInt256 gasPrice = EffectiveGasPrice(tx, baseFee);
        UInt256 blobBaseFee = fork >= Fork.Cancun ? BlobBaseFee(block.ExcessBlobGas, fork) : UInt256.Zero;
        ulong blobGas = GasPerBlob * (ulong)tx.BlobVersionedHashes.Length;

        // Buy gas (and pay the blob fee, which is burned).
        UInt256.Multiply(gasPrice, (ulong)tx.GasLimit, out var gasCost);
        UInt256.Multiply(blobBaseFee, blobGas, out var blobFee);
        UInt256.Add(gasCost, blobFee, out var upfront);
        state.SubtractBalance(tx.Sender, upfront);
        if (!tx.IsCreate) state.SetNonce(tx.Sender, tx.Nonce + 1); // a creation bumps it in the host, after taking the address

        int keys = 0;
        foreach (var e in tx.AccessList) keys += e.StorageKeys.Length;
        long intrinsic = IntrinsicGas(fork, tx.Data, tx.IsCreate, tx.AccessList.Length, keys, tx.Authorizations.Length);

        if (fork >= Fork.Berlin)
        {
            state.WarmAccount(tx.Sender);
            if (tx.To is { } to) state.WarmAccount(to);
            foreach (var p in PrecompileRegistry.Addresses(fork)) state.WarmAccount(p);
            foreach (var e in tx.AccessList)
            {
                state.WarmAccount(e.Address);
                foreach (var k in e.StorageKeys) state.WarmSlot(e.Address, k);
            }
            if (fork >= Fork.Shanghai) state.WarmAccount(block.Coinbase); // EIP-3651
        }

        // EIP-7702: authorizations apply before execution and stay even when it fails; then a call to a delegated
        // account runs the delegate's code, the delegate warmed for free.
        long authorizationRefund = tx.Type == 4 ? ApplyAuthorizations(state, tx.Authorizations, block.ChainId) : 0;
        if (fork >= Fork.Prague && tx.To is { } target && Delegation.TryGetTarget(state.GetCode(target), out var delegate_))
            state.WarmAccount(delegate_);

        var context = new TxContext
        {
            GasPrice = gasPrice,
            Origin = tx.Sender,
            Coinbase = block.Coinbase,
            BlockNumber = block.Number,
            Timestamp = block.Timestamp,
            BlockGasLimit = block.GasLimit,
            PrevRandao = fork >= Fork.Paris ? block.Random : block.Difficulty,
            ChainId = block.ChainId,
            BaseFee = baseFee,
            BlobBaseFee = blobBaseFee,
            BlobHashes = tx.BlobVersionedHashes,
        };
        var host = new StateHost(state, fork, engine, context);
        var message = new Message
        {
            Kind = tx.IsCreate ? CallKind.Create : CallKind.Call,
            Depth = 0,
            Gas = tx.GasLimit - intrinsic,
            Sender = tx.Sender,
            Recipient = tx.To ?? default,
            CodeAddress = tx.To ?? default,
            Value = tx.Value,
            Input = tx.Data,
        };
        var result = host.Call(message);

        long gasLeft = result.IsSuccess || result.Status == StatusCode.Revert ? result.GasLeft : 0;
        long gasUsed = tx.GasLimit - gasLeft;
        long refund = (result.IsSuccess ? Math.Max(0, result.GasRefund) : 0) + authorizationRefund; // authorizations refund even when execution fails
        refund = Math.Min(refund, gasUsed / (fork >= Fork.London ? 5 : 2)); // EIP-3529
        gasLeft += refund;
        gasUsed -= refund;
        if (fork >= Fork.Prague)
        {
            long floor = CalldataFloorGas(tx.Data);
            if (gasUsed < floor) { gasUsed = floor; gasLeft = tx.GasLimit - floor; }
        }

        UInt256.Multiply(gasPrice, (ulong)gasLeft, out var returned);
        state.AddBalance(tx.Sender, returned);
        UInt256 tip = gasPrice;
        if (fork >= Fork.London) UInt256.Subtract(gasPrice, baseFee, out tip); // the base fee is burned
        UInt256.Multiply(tip, (ulong)gasUsed, out var reward);
        state.AddBalance(block.Coinbase, reward); // touches the coinbase even for zero

        state.EndTransaction(deleteEmptyTouched: fork >= Fork.SpuriousDragon);
        return new TransactionResult
        {
            Status = result.Status,
            GasUsed = gasUsed,
            Output = result.Output ?? [],
            UnimplementedPrecompile = host.UnimplementedPrecompile,
            InternalError = result.Status == StatusCode.InternalError ? result.Error ?? new InvalidOperationException("internal error") : null,
        };
    }
}
