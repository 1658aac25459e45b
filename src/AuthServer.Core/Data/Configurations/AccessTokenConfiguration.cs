using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> b)
    {
        b.ToTable("access_tokens");
        b.Property(t => t.Name).HasMaxLength(64);
        b.Property(t => t.NormalizedName).HasMaxLength(64);
        // A name is unique among a user's live tokens; a revoked token's name can be given again.
        b.HasIndex(t => new { t.UserId, t.NormalizedName }).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
        b.Property(t => t.SecretHash).HasMaxLength(32);
        b.HasIndex(t => t.SecretHash).IsUnique();
        b.Property(t => t.ScopeLimits).HasMaxLength(4500);
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
