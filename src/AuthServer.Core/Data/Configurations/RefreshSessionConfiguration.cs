using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class RefreshSessionConfiguration : IEntityTypeConfiguration<RefreshSession>
{
    public void Configure(EntityTypeBuilder<RefreshSession> b)
    {
        b.ToTable("refresh_sessions");
        b.Property(s => s.TokenHash).HasMaxLength(32);
        b.HasIndex(s => s.TokenHash).IsUnique();
        b.HasIndex(s => s.UserId);
        b.HasIndex(s => s.RobotId);
        b.HasIndex(s => s.AccessTokenId);
        // Sessions made before robots and access tokens existed were all password logins. The
        // default is for those rows only: every new session names its credential (never None).
        b.Property(s => s.Credential).HasConversion<string>().HasMaxLength(16)
            .HasDefaultValue(CredentialKind.Password).HasSentinel(CredentialKind.None);
        b.Property(s => s.Service).HasMaxLength(255);
        b.Property(s => s.ClientId).HasMaxLength(255);
        b.Property(s => s.ClientIp).HasMaxLength(64);
        b.Property(s => s.UserAgent).HasMaxLength(512);
        b.Property(s => s.RevokedReason).HasMaxLength(100);
        b.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(s => s.Robot).WithMany().HasForeignKey(s => s.RobotId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(s => s.AccessToken).WithMany().HasForeignKey(s => s.AccessTokenId).OnDelete(DeleteBehavior.Cascade);
        // A session belongs to exactly one account.
        b.ToTable(t => t.HasCheckConstraint("CK_refresh_sessions_one_account", "(\"UserId\" IS NULL) <> (\"RobotId\" IS NULL)"));
    }
}
