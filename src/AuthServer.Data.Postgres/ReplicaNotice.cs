using System.Text.Json.Serialization;

namespace AuthServer.Data.Postgres;

/// <summary>One pg_notify payload: who sent it (replicas skip their own), its topic, its items.</summary>
public sealed record ReplicaNotice(
    [property: JsonPropertyName("r")] string Replica,
    [property: JsonPropertyName("t")] string Topic,
    [property: JsonPropertyName("i")] IReadOnlyList<string> Items);

[JsonSerializable(typeof(ReplicaNotice))]
internal sealed partial class ReplicaNoticeJson : JsonSerializerContext;
