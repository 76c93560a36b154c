using System.IO.Compression;
using System.Text;

namespace StreamMetrics.Worker.Publishing;

/// <summary>Opens a data file for reading, plain or gzip-compressed (told apart by the gzip magic bytes, not the name).</summary>
public static class DataFile
{
    public static TextReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        var isGzip = stream.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        stream.Position = 0;
        Stream content = isGzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        return new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
    }
}
