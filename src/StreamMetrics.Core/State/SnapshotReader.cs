using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace StreamMetrics.Core.State;

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote; anything malformed throws <see cref="InvalidDataException"/>.</summary>
/// <remarks>
/// Its primitives are optimised from the first call: a restore reads every state once a process, and quick-compiled
/// code made the first partition it restored take several times as long as the next.
/// </remarks>
public ref struct SnapshotReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    public readonly bool AtEnd => _at == _bytes.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte ReadByte()
    {
        if (_at >= _bytes.Length) throw Truncated();
        return _bytes[_at++];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("state snapshot holds a varint longer than 64 bits");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long ReadVarInt()
    {
        var raw = ReadVarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadCount(int max)
    {
        var count = ReadVarUInt();
        if (count > (ulong)max) throw new InvalidDataException($"state snapshot holds a count of {count}, more than {max}");
        return (int)count;
    }

    public ulong ReadUInt64()
    {
        if (_bytes.Length - _at < 8) throw Truncated();
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[_at..]);
        _at += 8;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public decimal ReadDecimal()
    {
        var header = ReadByte();
        var low = ReadVarUInt();
        var high = ReadVarUInt();
        var scale = (byte)(header & 0x7F);
        if (high > uint.MaxValue || scale > 28) throw new InvalidDataException("state snapshot holds a malformed decimal");
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (header & 0x80) != 0, scale);
    }

    public string? ReadString()
    {
        var bytes = ReadStringBytes(out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Passes over a string, refusing what <see cref="ReadString"/> refuses.</summary>
    public void SkipString() => ReadStringBytes(out _);

    private ReadOnlySpan<byte> ReadStringBytes(out bool isNull)
    {
        var length = ReadVarUInt();
        isNull = length == 0;
        if (isNull) return default;
        length--;
        if (length > (ulong)(_bytes.Length - _at)) throw Truncated();
        var bytes = _bytes.Slice(_at, (int)length);
        _at += (int)length;
        return bytes;
    }

    private static InvalidDataException Truncated() => new("state snapshot is truncated");
}
