using System.Runtime.CompilerServices;
using Jevm.Codegen;

namespace Jevm.Tests.Support;

/// <summary>
/// The JIT falls back to the interpreter when it fails to compile a code, which would let every JIT test pass on the
/// interpreter's results. In the tests a compiler failure is an error of the test that met it — except the faults the
/// robustness tests inject on purpose (their messages say "injected").
/// </summary>
internal static class CompilerFailureGuard
{
    [ModuleInitializer]
    internal static void Install() => JitEngine.CompileFailureHook = static reason =>
    {
        if (!reason.Contains("injected", StringComparison.Ordinal))
            throw new InvalidOperationException($"the JIT failed to compile a code (the interpreter would have run it): {reason}");
    };
}
