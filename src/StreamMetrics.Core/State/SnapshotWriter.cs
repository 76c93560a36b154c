using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace StreamMetrics.Core.State;

/// <summary>
/// Writes the compact binary form of state snapshots: LEB128 varints, zigzag for signed values,
/// decimals as scale and mantissa, so that a typical customer takes a few hundred bytes at most.
/// </summary>
public sealed class SnapshotWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteVarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        _buffer.Advance(at);
    }

    public void WriteVarInt(long value) => WriteVarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Scale and sign in one byte, then the 96-bit mantissa: the exact decimal, trailing zeros included.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var flags = bits[3];
        WriteByte((byte)(((flags >> 16) & 0x7F) | ((flags >>> 31) << 7)));
        WriteVarUInt((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        WriteVarUInt((uint)bits[2]);
    }

    /// <summary>A UTF-8 string with its length, or a zero length byte for null (the empty string is stored as length 1 and no bytes).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteVarUInt(0);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)length + 1);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Bytes the writer holds, written or not.</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>Forgets what was written, keeping the buffer, so that one writer serves many snapshots.</summary>
    public void Clear() => _buffer.ResetWrittenCount();
}
