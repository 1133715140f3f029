using System.Runtime.ExceptionServices;
using Jevm.Primitives;

namespace Jevm.Evm;

/// <summary>
/// Continues a frame on a new thread with a large stack when the current thread's stack is nearly used up, so that
/// 1024-deep CALL/CREATE chains run to the EVM's own depth limit on any caller's thread (a normal 1 MiB thread included)
/// instead of failing or overflowing the .NET stack. The caller's thread waits; results and exceptions come back to it.
/// </summary>
internal static class SizedStackThread
{
    /// <summary>Stack of the continuation threads: reserved, committed only as used; ample for 1024 frames of any engine.</summary>
    public const int StackSize = 256 * 1024 * 1024;

    [ThreadStatic] private static bool t_isContinuation;

    /// <summary>
    /// Runs <paramref name="engine"/>.Execute for the frame on a continuation thread. On a continuation thread that is
    /// itself exhausted (cannot happen within the 1024-frame limit) it returns <see cref="StatusCode.InternalError"/>.
    /// </summary>
    public static ExecutionResult Execute(IExecutionEngine engine, IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        if (t_isContinuation)
            return new ExecutionResult { Status = StatusCode.InternalError, Output = [], Error = new InsufficientExecutionStackException("the frame's .NET stack is exhausted") };
        var msg = message;
        var hash = codeHash;
        ExecutionResult result = default;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            t_isContinuation = true;
            try { result = engine.Execute(host, fork, msg, code, hash); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
        }, StackSize)
        { Name = "jevm deep frames", IsBackground = true };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
