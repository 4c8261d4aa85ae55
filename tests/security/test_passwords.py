def test_it_hashes_passwords_with_argon2_in_the_shipped_settings():
    import importlib

    import painwise.settings as shipped

    shipped = importlib.reload(shipped)
    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    validators = [v["NAME"].rsplit(".", 1)[1] for v in shipped.AUTH_PASSWORD_VALIDATORS]
    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
