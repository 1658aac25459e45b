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
        b.Property(s => s.Service).HasMaxLength(255);
        b.Property(s => s.ClientId).HasMaxLength(255);
        b.Property(s => s.ClientIp).HasMaxLength(64);
        b.Property(s => s.UserAgent).HasMaxLength(512);
        b.Property(s => s.RevokedReason).HasMaxLength(100);
        b.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
