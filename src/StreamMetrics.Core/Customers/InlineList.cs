namespace StreamMetrics.Core.Customers;

/// <summary>A list kept in its owner's fields, an array and a count, with no list object of its own.</summary>
/// <remarks>
/// A customer keeps two (its activity buckets and its purchase days): as <see cref="List{T}"/>s they were 64 bytes of every
/// customer started or held live. A field of this type must not be readonly, nor copied: it changes in place.
/// </remarks>
internal struct InlineList<T>
{
    private T[]? _items;

    public int Count { get; private set; }

    public readonly T this[int index] => AsSpan()[index];

    public readonly Span<T> AsSpan() => _items.AsSpan(0, Count);

    public void Add(T item) => Insert(Count, item);

    public void Insert(int index, T item)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)Count, nameof(index));
        // Most customers have one bucket and one purchase day: the first array holds one item.
        if (_items is null || Count == _items.Length) Array.Resize(ref _items, Math.Max(1, 2 * Count));
        Array.Copy(_items, index, _items, index + 1, Count - index);
        _items[index] = item;
        Count++;
    }

    /// <summary>Keeps the first <paramref name="count"/> items.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        Array.Clear(_items!, count, Count - count);
        Count = count;
    }
}
