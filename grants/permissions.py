def is_grant_officer(user) -> bool:
    return user.is_active and user.has_perm("grants.decide_grantapplication")
