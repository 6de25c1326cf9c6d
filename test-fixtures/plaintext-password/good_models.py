from werkzeug.security import check_password_hash, generate_password_hash

from .db import Model, session


class Member(Model):
    # Writing `member.password = ...` goes through this setter, which stores a hash.
    @property
    def password(self):
        raise AttributeError("password is write-only")

    @password.setter
    def password(self, value):
        self.password_hash = generate_password_hash(value)

    def check(self, password):
        return check_password_hash(self.password_hash, password)


def change_password(member_id, args):
    member = session.get(Member, member_id)
    member.password = args["new_password"]
    session.commit()
