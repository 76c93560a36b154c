using System.Buffers;
using BenchmarkDotNet.Attributes;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Benchmarks;

/// <summary>The per-order path, one step a benchmark: parse an order, apply it to a customer, encode a point, snapshot a customer.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private static readonly PeriodWindows Days = new(TimeSpan.FromDays(1));
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private readonly OrderValidationOptions _validation = new();
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private byte[][] _values = [];
    private byte[][] _keys = [];
    private OrderEvent[] _orders = [];
    private Point _point = null!;
    private byte[] _snapshot = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _orders = [.. new PopulationSimulator(2_000, 120, seed: 7).Orders().Take(4_096)];
        _values = [.. _orders.Select(OrderJson.Serialize)];
        _keys = [.. _orders.Select(o => System.Text.Encoding.UTF8.GetBytes(o.CustomerId))];
        _point = new Point("customer_activity", [new("customer_id", "17850")],
            [new("orders", FieldValue.Integer(3)), new("revenue", FieldValue.Float(139.12)), new("units", FieldValue.Integer(18))],
            DateTimeOffset.Parse("2011-12-01T00:00:00Z"));
        var typical = new CustomerState("17850", Days, Retention);
        foreach (var order in _orders.Where(o => o.CustomerId == _orders[0].CustomerId)) typical.Apply(order);
        _snapshot = new CustomerSnapshot(typical, new CustomerTracker(), 41).Encode();
    }

    [Benchmark(Baseline = true)]
    public bool ParseOrder()
    {
        var i = _next++ & 4095;
        return OrderParser.TryParse(_keys[i], _values[i], _validation, out _, out _);
    }

    /// <summary>A fresh customer per 64 orders, so that the state stays the size of a real customer's.</summary>
    [Benchmark]
    public ApplyResult ApplyOrder()
    {
        var i = _next++ & 4095;
        var state = new CustomerState("c", Days, Retention);
        var result = ApplyResult.Applied;
        for (var j = 0; j < 64; j++) result = state.Apply(_orders[(i + j) & 4095]);
        return result;
    }

    [Benchmark]
    public int EncodePoint()
    {
        _line.ResetWrittenCount();
        LineProtocolEncoder.TryWrite(_point, _line);
        return _line.WrittenCount;
    }

    [Benchmark]
    public int SnapshotRoundTrip() =>
        CustomerSnapshot.Decode("17850", _snapshot, Days, Retention).Encode().Length;
}
