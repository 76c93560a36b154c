using System.Reflection;
using System.Reflection.PortableExecutable;

namespace StreamMetrics.Bench;

/// <summary>Whether an assembly carries ReadyToRun code, as <c>dotnet publish</c> of the worker and of the bench leaves it.</summary>
/// <remarks>
/// A fresh process runs compiled-as-it-goes code for the first seconds, and the bench's steady phase lasts only a few:
/// the figures of a JIT-only worker are largely those of its warm-up. The report says which kind was measured.
/// </remarks>
public static class PrecompiledCode
{
    public static bool IsReadyToRun(Assembly assembly)
    {
        if (string.IsNullOrEmpty(assembly.Location)) return false;
        using var reader = new PEReader(File.OpenRead(assembly.Location));
        // ECMA-335 leaves this directory empty; ReadyToRun images point it at their native code's header.
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
