"""Follow by e-mail: people follow a committee, the decisions or the calls, and get an e-mail
per publication (or a weekly digest). Addresses are private: only the admin's list shows them."""
