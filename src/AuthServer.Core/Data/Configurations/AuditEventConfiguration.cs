using AuthServer.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.Property(e => e.Type).HasMaxLength(64);
        b.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Reason).HasMaxLength(AuditText.MaxReasonLength);
        b.Property(e => e.Subject).HasMaxLength(140);
        b.Property(e => e.Actor).HasMaxLength(140);
        b.Property(e => e.Credential).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Service).HasMaxLength(255);
        b.Property(e => e.RequestedScopes).HasMaxLength(8192);
        b.Property(e => e.GrantedScopes).HasMaxLength(8192);
        b.Property(e => e.ClientAddress).HasMaxLength(64);
        b.Property(e => e.UserAgent).HasMaxLength(512);
        b.Property(e => e.TraceId).HasMaxLength(32);
        // Time ranges and retention read At; "what did this account do" reads Subject. Other
        // filters narrow those: each index is paid for on every insert.
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Subject, e.At });
    }
}
