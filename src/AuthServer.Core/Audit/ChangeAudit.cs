using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.Core.Data;

namespace AuthServer.Core.Audit;

/// <summary>
/// Records an administrative change in the same unit of work as the change itself: the event is
/// added to the scope's DbContext, so it is committed with the change or not at all. A change can
/// never happen without its record, and no record describes a change that was rolled back.
/// </summary>
public sealed class ChangeAudit(AuthServerDbContext db, AuditActor actor, TimeProvider time)
{
    // Relaxed escaping keeps robot names (owner+name) and patterns readable; the text is never put into HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Adds the event; the caller's next SaveChanges writes it.</summary>
    public void Record(string type, string subject, object? before = null, object? after = null, string? reason = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = type,
            Outcome = AuditOutcome.Success,
            Subject = AuditText.Subject(subject),
            Actor = actor.Name,
            ClientAddress = actor.Address,
            Reason = reason,
            Details = before is null && after is null ? null : JsonSerializer.Serialize(new { before, after }, Json),
            TraceId = AuditTrace.Current(),
        });
    }
}
