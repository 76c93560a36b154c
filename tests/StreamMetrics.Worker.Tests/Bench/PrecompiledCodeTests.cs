using StreamMetrics.Bench;

namespace StreamMetrics.Worker.Tests.Bench;

public sealed class PrecompiledCodeTests
{
    [Fact]
    public void The_runtimes_own_library_is_told_apart_from_one_built_without_publishing()
    {
        // The shared framework ships precompiled; this test assembly is built, not published.
        Assert.True(PrecompiledCode.IsReadyToRun(typeof(object).Assembly));
        Assert.False(PrecompiledCode.IsReadyToRun(typeof(PrecompiledCodeTests).Assembly));
    }
}
