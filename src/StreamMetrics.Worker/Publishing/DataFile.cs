using System.IO.Compression;
using System.Text;
using StreamMetrics.Core.Replay;
using StreamMetrics.Worker.Hosting;

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

    /// <summary>The orders of <c>--file</c> in <c>--format</c>; a missing file or one of another format is bad usage, said in one line.</summary>
    public static ReplayData Read(FileInfo file, ReplayFormat format)
    {
        if (!file.Exists) throw new SettingsException($"--file '{file.FullName}' does not exist");
        try
        {
            using var reader = Open(file.FullName);
            return ReplayReader.Read(format, reader);
        }
        catch (InvalidDataException e)
        {
            throw new SettingsException($"--file {file.Name} is {e.Message}");
        }
    }
}
