using System.IO.Compression;

namespace StreamMetrics.Core.Tests.Replay;

/// <summary>Opens the real data sets in ../shared/datasets, found by walking up from the test binaries.</summary>
internal static class DataSetFiles
{
    public static string Path(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "datasets", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"shared/datasets/{relative} not found above {AppContext.BaseDirectory}");
    }

    public static TextReader Open(string relative)
    {
        var path = Path(relative);
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream);
    }
}
