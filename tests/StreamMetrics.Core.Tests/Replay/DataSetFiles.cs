using System.IO.Compression;
using StreamMetrics.Testing;

namespace StreamMetrics.Core.Tests.Replay;

/// <summary>Opens the real data sets in ../shared/datasets, decompressing .gz files.</summary>
internal static class DataSetFiles
{
    public static string Path(string relative) => DataSets.Find(relative);

    public static TextReader Open(string relative)
    {
        var path = Path(relative);
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream);
    }
}
