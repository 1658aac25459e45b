using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class AccessRuleConfiguration : IEntityTypeConfiguration<AccessRule>
{
    public void Configure(EntityTypeBuilder<AccessRule> b)
    {
        b.ToTable("access_rules");
        b.Property(r => r.Effect).HasConversion<string>().HasMaxLength(8);
        b.Property(r => r.SubjectKind).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Subject).HasMaxLength(64);
        b.Property(r => r.Service).HasMaxLength(255);
        b.Property(r => r.ResourceType).HasMaxLength(32);
        b.Property(r => r.Pattern).HasMaxLength(255);
        b.Property(r => r.Actions).HasMaxLength(100);
        b.Property(r => r.Description).HasMaxLength(500);
        b.HasIndex(r => new { r.SubjectKind, r.Subject });
    }
}
