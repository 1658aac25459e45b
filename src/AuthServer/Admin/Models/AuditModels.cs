using AuthServer.Core.Audit;
using AuthServer.Core.Identity;

namespace AuthServer.Admin.Models;

public sealed record AuditEventView(
    long Id, DateTime At, string Type, AuditOutcome Outcome, string? Subject, string? Actor, CredentialKind? Credential, long? CredentialId,
    string? Service, string? RequestedScopes, string? GrantedScopes, string? ClientAddress, string? UserAgent, string? Reason, string? Details,
    string? TraceId)
{
    public static AuditEventView From(AuditEvent e) => new(
        e.Id, e.At, e.Type, e.Outcome, e.Subject, e.Actor, e.Credential, e.CredentialId, e.Service, e.RequestedScopes, e.Granted,
        e.ClientAddress, e.UserAgent, e.Reason, e.Details, e.TraceId);
}

/// <summary>Newest first; pass <see cref="NextBeforeId"/> as <c>beforeId</c> for the next page (null: no more).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, long? NextBeforeId);
